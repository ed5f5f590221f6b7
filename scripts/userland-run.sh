#!/bin/sh
# Runs a command as root inside a Debian root file system (scripts/userland-root.sh), on this
# machine's kernel, as the userland matrix does (UserlandMatrixIT, docs/userland-matrix.md):
#
#   scripts/userland-run.sh [--bind DIR:PATH]... RELEASE COMMAND...
#
# The command sees the cached root through an overlay whose writable layer is a tmpfs, so the cache
# is never written and nothing the command writes outlives it. Mounted there as on a booted Debian
# system: proc, sysfs, cgroup2 (/sys/fs/cgroup), bpffs (/sys/fs/bpf, a fresh instance: pins stay
# inside), tracefs (/sys/kernel/tracing), the host's /dev, and tmpfs on /tmp and /run. Each --bind
# mounts the host's DIR read-only at PATH (no spaces in either). The command runs with chroot and an
# environment of only PATH and HOME.
#
# Everything is mounted in a private mount namespace (unshare) whose last process is the command
# itself (each step execs the next): when it exits, however it ends (exit, signal, SIGKILL), the
# kernel unmounts all of it. Nothing is mounted on the host and nothing is left to clean up. The
# exit status is the command's.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
binds=""
while [ "${1:-}" = --bind ]; do
  [ $# -ge 2 ] || { echo "error: $0: --bind needs DIR:PATH" >&2; exit 2; }
  case "$2" in
    *" "*|[!/]*|*:[!/]*|*:) echo "error: $0: --bind $2: want an absolute DIR:PATH without spaces" >&2; exit 2 ;;
  esac
  [ -d "${2%%:*}" ] || { echo "error: $0: --bind $2: ${2%%:*} is not a directory" >&2; exit 2; }
  binds="$binds $2"
  shift 2
done
if [ $# -lt 2 ]; then
  echo "usage: $0 [--bind DIR:PATH]... RELEASE COMMAND..." >&2
  exit 2
fi
root=$("$here/userland-root.sh" "$1" | tail -1)
shift
# An empty directory on the host, only ever a mount point inside the private namespaces.
run=$(dirname "$root")/.run
mkdir -p "$run"
# shellcheck disable=SC2016 # expanded by the inner shell
exec unshare --mount --propagation private sh -eu -c '
  root=$1 run=$2 binds=$3
  shift 3
  mount -t tmpfs -o mode=0755 userland "$run"
  mkdir "$run/upper" "$run/work" "$run/root"
  r=$run/root
  mount -t overlay userland -o "lowerdir=$root,upperdir=$run/upper,workdir=$run/work" "$r"
  mount -t proc proc "$r/proc"
  mount -t sysfs sysfs "$r/sys"
  mount -t cgroup2 cgroup2 "$r/sys/fs/cgroup"
  mount -t bpf bpf "$r/sys/fs/bpf"
  mount -t tracefs tracefs "$r/sys/kernel/tracing"
  mount --rbind /dev "$r/dev"
  mount -t tmpfs -o mode=1777 tmpfs "$r/tmp"
  mount -t tmpfs -o mode=0755 tmpfs "$r/run"
  for b in $binds; do
    mkdir -p "$r${b#*:}"
    mount --bind "${b%%:*}" "$r${b#*:}"
    mount -o remount,bind,ro "$r${b#*:}"
  done
  exec chroot "$r" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"
' sh "$root" "$run" "$binds" "$@"
