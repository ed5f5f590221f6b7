#!/bin/sh
# Installs the system packages the build and the tests use, when they are missing (Debian, as root):
# clang/llvm to compile BPF programs, libbpf (libbpf.so.1 and headers), bpftool for vmlinux.h,
# prometheus + promtool for end-to-end tests, openssl and systemd-socket-activate for the web flag tests. Idempotent and quick when everything is there.
set -eu
missing=""
command -v clang >/dev/null 2>&1 || missing="$missing clang"
command -v llvm-strip >/dev/null 2>&1 || missing="$missing llvm"
[ -e /usr/include/bpf/libbpf.h ] && ls /usr/lib/*/libbpf.so.1 >/dev/null 2>&1 || missing="$missing libbpf-dev"
command -v bpftool >/dev/null 2>&1 || [ -x /usr/sbin/bpftool ] || missing="$missing bpftool"
command -v promtool >/dev/null 2>&1 || missing="$missing prometheus"
command -v make >/dev/null 2>&1 || missing="$missing make"
# Tests of the web flags: openssl makes test certificates, systemd-socket-activate passes a socket.
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
command -v systemd-socket-activate >/dev/null 2>&1 || missing="$missing systemd"
ls /usr/include/*/sys/sdt.h >/dev/null 2>&1 || missing="$missing systemtap-sdt-dev"  # USDT test target (src/test/bpf)
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"  # the web view's browser test (headless)
[ -e /usr/share/misc/pci.ids ] || [ -e /usr/share/hwdata/pci.ids ] || missing="$missing pci.ids"  # pci_* decoders' tests
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "error: missing system packages:$missing (install them with: sudo apt-get install$missing)" >&2
  exit 1
fi
echo "installing system packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $missing
