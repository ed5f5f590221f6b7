#!/bin/sh
# Builds the container image localhost/ebpf_exporter:<version> with podman/buildah from
# deploy/container/Containerfile (run by ./mvnw verify -Pimage, after the distribution is built).
# No registry is needed: the Debian base (minbase only; libbpf comes in the tarball's lib/) is made here
# with debootstrap from the Debian mirror apt already uses, and imported as
# localhost/ebpf_exporter-base:<suite>-minbase; a base that exists is reused (EBPF_EXPORTER_NEW_BASE=1
# makes it again).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EBPF_EXPORTER_BUILD:-$root/target}
version=${1:-$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -1)}
dist=$build/dist/ebpf_exporter-$version
[ -x "$dist/bin/ebpf_exporter" ] || { echo "error: $dist is not built yet; run: scripts/dist.sh" >&2; exit 1; }

missing=""
command -v podman >/dev/null 2>&1 || missing="$missing podman"
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || missing="$missing debootstrap"
# runc: crun refuses hybrid cgroup v1/v2 hosts, runc runs there.
command -v runc >/dev/null 2>&1 || [ -x /usr/sbin/runc ] || missing="$missing runc"
if [ -n "$missing" ]; then
  echo "installing system packages:$missing"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
mirror=$("$root/scripts/debian-mirror.sh")
# -minbase: bases made before libbpf came with the tarball included libbpf1; those are not reused.
base=localhost/ebpf_exporter-base:$suite-minbase
started=$(date +%s)
if [ "${EBPF_EXPORTER_NEW_BASE:-0}" = 1 ] || ! podman image exists "$base"; then
  rootfs=$build/image/rootfs
  rm -rf "$rootfs"
  mkdir -p "$rootfs"
  echo "debootstrap $suite from $mirror"
  /usr/sbin/debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$build/image/debootstrap.log" 2>&1 \
    || { tail -20 "$build/image/debootstrap.log" >&2; exit 1; }
  # Nothing the exporter reads: package lists and caches, documentation, locales.
  rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
  tar -C "$rootfs" -c . | podman import --change 'CMD ["/bin/sh"]' - "$base" >/dev/null
  rm -rf "$rootfs"
fi
podman build -q --build-arg BASE="$base" -f "$root/deploy/container/Containerfile" -t "localhost/ebpf_exporter:$version" "$dist" >/dev/null
echo "image: localhost/ebpf_exporter:$version, $(podman image inspect --format '{{.Size}}' "localhost/ebpf_exporter:$version") bytes, built in $(( $(date +%s) - started )) s"
