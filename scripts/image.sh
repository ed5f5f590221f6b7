#!/bin/sh
# Builds the container image localhost/ebpf_exporter:<version> with podman/buildah from
# deploy/container/Containerfile (run by ./mvnw verify -Pimage, after the distribution is built).
# No registry is needed: the Debian base (minbase only; libbpf comes in the tarball's lib/) is the host
# release's root of scripts/userland-root.sh (debootstrap from the Debian mirror apt already uses, cached
# in /var/cache/ebpf-exporter/userlands), imported as localhost/ebpf_exporter-base:<suite>-minbase; a
# base that exists is reused (EBPF_EXPORTER_NEW_BASE=1 imports it again; removing the cached root makes
# debootstrap run again).
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
# -minbase: bases made before libbpf came with the tarball included libbpf1; those are not reused.
base=localhost/ebpf_exporter-base:$suite-minbase
started=$(date +%s)
if [ "${EBPF_EXPORTER_NEW_BASE:-0}" = 1 ] || ! podman image exists "$base"; then
  # The same minimal root the userland matrix runs the tarball in (debootstrap once, then cached).
  rootfs=$("$root/scripts/userland-root.sh" "$suite" | tail -1)
  # Without what the exporter never reads: package lists and caches, logs, documentation, locales (and
  # the cache's own marker).
  tar -C "$rootfs" --exclude=./.ready --exclude='./var/cache/apt/*' --exclude='./var/lib/apt/lists/*' \
    --exclude='./var/log/*' --exclude='./usr/share/doc/*' --exclude='./usr/share/man/*' \
    --exclude='./usr/share/info/*' --exclude='./usr/share/locale/*' -c . \
    | podman import --change 'CMD ["/bin/sh"]' - "$base" >/dev/null
fi
podman build -q --build-arg BASE="$base" -f "$root/deploy/container/Containerfile" -t "localhost/ebpf_exporter:$version" "$dist" >/dev/null
echo "image: localhost/ebpf_exporter:$version, $(podman image inspect --format '{{.Size}}' "localhost/ebpf_exporter:$version") bytes, built in $(( $(date +%s) - started )) s"
