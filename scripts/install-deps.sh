#!/bin/sh
# Installs the system packages the project needs, when they are missing (Debian, as root).
#   install-deps.sh build   what building the jar and the examples needs: clang/llvm, bpftool for
#                           vmlinux.h, make, curl (the AOT cache's training run, scripts/dist/aot-train.sh),
#                           and for our own libbpf 1.5 (scripts/libbpf.sh, whose headers the examples
#                           use) a C compiler (gcc), patch and xz-utils; its libelf and zlib headers come from
#                           Debian 11's packages, not from the host. The build's validate phase runs this.
#   install-deps.sh [all]   also what the tests use: prometheus (promtool), openssl (test
#                           certificates), systemd (systemd-socket-activate), systemtap-sdt-dev (the
#                           USDT test target), pci.ids (pci_* decoders), nodejs and npm (the
#                           Kubernetes manifest check), prometheus-node-exporter (the fleet benchmark
#                           runs it beside the exporter), debootstrap (the userland matrix's Debian
#                           roots, scripts/userland-root.sh) and binutils (its objdump -T over the
#                           tarball's ELF files). .ci/run runs this.
# Tests that need a test-only tool check for it themselves and name its package.
# Idempotent and quick when everything is there.
set -eu
mode=${1:-all}
case "$mode" in
  build|all) ;;
  *) echo "usage: $0 [build|all]" >&2; exit 2 ;;
esac
missing=""
command -v clang >/dev/null 2>&1 || missing="$missing clang"
command -v llvm-strip >/dev/null 2>&1 || missing="$missing llvm"
command -v bpftool >/dev/null 2>&1 || [ -x /usr/sbin/bpftool ] || missing="$missing bpftool"
command -v make >/dev/null 2>&1 || missing="$missing make"
command -v cc >/dev/null 2>&1 || missing="$missing gcc"      # scripts/libbpf.sh
command -v patch >/dev/null 2>&1 || missing="$missing patch" # Debian's patches to libbpf
command -v xz >/dev/null 2>&1 || missing="$missing xz-utils"  # ... which come as a .debian.tar.xz
command -v curl >/dev/null 2>&1 || missing="$missing curl"  # the AOT cache's training run (scripts/dist/aot-train.sh)
if [ "$mode" = all ]; then
  command -v promtool >/dev/null 2>&1 || missing="$missing prometheus"
  command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
  command -v systemd-socket-activate >/dev/null 2>&1 || missing="$missing systemd"
  ls /usr/include/*/sys/sdt.h >/dev/null 2>&1 || missing="$missing systemtap-sdt-dev"
  command -v chromium >/dev/null 2>&1 || missing="$missing chromium"  # the web view's browser test (headless)
  command -v node >/dev/null 2>&1 || missing="$missing nodejs"  # KubernetesManifestsIT's checker
  command -v npm >/dev/null 2>&1 || missing="$missing npm"
  # the fleet benchmark's comparison (FleetBenchmark)
  command -v prometheus-node-exporter >/dev/null 2>&1 || missing="$missing prometheus-node-exporter"
  # the userland matrix's Debian 11/12/13 roots (UserlandMatrixIT, scripts/userland-root.sh)
  command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || missing="$missing debootstrap"
  command -v objdump >/dev/null 2>&1 || missing="$missing binutils"
  [ -e /usr/share/misc/pci.ids ] || [ -e /usr/share/hwdata/pci.ids ] || missing="$missing pci.ids"
fi
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "error: missing system packages:$missing (install them with: sudo apt-get install$missing)" >&2
  exit 1
fi
echo "installing system packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $missing
