#!/bin/sh
# Makes (once) and prints the path of a Debian root file system for the userland matrix
# (UserlandMatrixIT, docs/userland-matrix.md):
#
#   scripts/userland-root.sh RELEASE      RELEASE: bullseye (11), bookworm (12), trixie (13), or any
#                                         other code name debootstrap knows
#
# The root is `debootstrap --variant=minbase RELEASE` from the Debian mirror apt already uses, with
# nothing added: no JDK, no libbpf, only what every Debian system has. It is cached in
# $USERLAND_ROOT_CACHE/RELEASE (default /var/cache/ebpf-exporter/userlands) and reused while that
# directory is there; `rm -rf` it to make it again. Users of the root run in it through an overlay
# (scripts/userland-run.sh) and never write into it. Needs root (debootstrap); installs debootstrap
# with apt when it is missing. The last line printed on stdout is the root's path.
set -eu
if [ $# -ne 1 ]; then
  echo "usage: $0 RELEASE (bullseye, bookworm or trixie)" >&2
  exit 2
fi
case "$1" in
  11) release=bullseye ;;
  12) release=bookworm ;;
  13) release=trixie ;;
  # Any other Debian code name debootstrap knows (scripts/image.sh passes the host's).
  *[!a-z]*|"") echo "error: $0: '$1' is not a Debian release (bullseye, bookworm, trixie, 11, 12, 13, ...)" >&2; exit 2 ;;
  *) release=$1 ;;
esac
[ "$(id -u)" = 0 ] || { echo "error: $0: debootstrap needs root" >&2; exit 1; }
cache=${USERLAND_ROOT_CACHE:-/var/cache/ebpf-exporter/userlands}
root=$cache/$release
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9  # one debootstrap at a time; concurrent runs wait and then share the root
if [ ! -e "$root/.ready" ]; then
  if ! command -v debootstrap >/dev/null 2>&1 && [ ! -x /usr/sbin/debootstrap ]; then
    echo "userland-root: installing debootstrap" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >&2
  fi
  mirror=$("$(dirname "$0")/debian-mirror.sh")
  started=$(date +%s)
  echo "userland-root: debootstrap --variant=minbase $release from $mirror" >&2
  rm -rf "$root" "$root.new"
  mkdir -p "$root.new"
  log=$cache/$release.debootstrap.log
  PATH=/usr/sbin:/usr/bin:/sbin:/bin /usr/sbin/debootstrap --variant=minbase "$release" "$root.new" "$mirror" >"$log" 2>&1 \
    || { tail -20 "$log" >&2; rm -rf "$root.new"; echo "error: $0: debootstrap $release failed (log: $log)" >&2; exit 1; }
  # Package lists and downloaded packages: nothing that runs in the root reads them.
  rm -rf "$root.new"/var/cache/apt/archives/*.deb "$root.new"/var/lib/apt/lists/*
  touch "$root.new/.ready"
  mv "$root.new" "$root"
  echo "userland-root: $release made in $(( $(date +%s) - started )) s ($(du -sh "$root" | cut -f1))" >&2
fi
echo "$root"
