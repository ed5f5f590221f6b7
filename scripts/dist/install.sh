#!/bin/sh
# Installs this distribution where it was unpacked (the directory of this script is the prefix):
# writes the systemd units (deploy/systemd) with their paths pointing here, and makes the AOT cache
# again when it was made for another prefix (the cache holds absolute paths; the tarball's is made for
# /opt/ebpf_exporter). Run as root, after moving the tree to where it stays:
#   tar -xzf ebpf_exporter-<version>.linux-<arch>.tar.gz && mv ebpf_exporter-<version> /srv/ebpf_exporter
#   /srv/ebpf_exporter/install.sh [--systemd-dir=DIR] [--no-aot-cache]
# --systemd-dir: where the units go (default /etc/systemd/system); --no-aot-cache: leave the cache as it
# is (the exporter runs without it where it does not fit). Then: systemctl daemon-reload and enable.
set -eu
prefix=$(cd "$(dirname "$0")" && pwd -P)
units=/etc/systemd/system
aot=yes
for arg in "$@"; do
  case "$arg" in
    --systemd-dir=*) units=${arg#--systemd-dir=} ;;
    --no-aot-cache) aot=no ;;
    *) echo "install.sh: unknown argument '$arg' (usage: install.sh [--systemd-dir=DIR] [--no-aot-cache])" >&2; exit 2 ;;
  esac
done
# systemd unit files split ExecStart on spaces and expand % and $: such a prefix would need quoting there.
case "$prefix" in
  *[!A-Za-z0-9._/+-]*) echo "install.sh: $prefix: the prefix may hold only letters, digits and . _ / + -" >&2; exit 1 ;;
esac
mkdir -p "$units"
for unit in "$prefix"/deploy/systemd/ebpf_exporter.*; do
  sed "s:/opt/ebpf_exporter:$prefix:g" "$unit" > "$units/$(basename "$unit")"
  echo "install.sh: wrote $units/$(basename "$unit") for $prefix"
done
made_for=$(cat "$prefix/lib/ebpf-exporter.aot.prefix" 2>/dev/null || echo none)
if [ "$aot" = yes ] && [ "$made_for" != "$prefix" ]; then
  echo "install.sh: the AOT cache was made for $made_for; making it for $prefix (a training run, about 10 s)"
  "$prefix/lib/aot-train.sh" "$prefix" > "$prefix/lib/aot-training.log" 2>&1 \
    || { cat "$prefix/lib/aot-training.log" >&2; echo "install.sh: AOT training failed" >&2; exit 1; }
  echo "$prefix" > "$prefix/lib/ebpf-exporter.aot.prefix"
fi
echo "install.sh: done; next: systemctl daemon-reload && systemctl enable --now ebpf_exporter.socket ebpf_exporter.service"
