#!/bin/sh
# Runs a command inside a real Debian kernel under QEMU, on this machine's own root file system.
#
#   scripts/kernel-vm.sh [--out DIR] KERNEL COMMAND...
#
# KERNEL is a Debian kernel package (linux-image-6.1.0-57-amd64) or a meta package that depends on
# one (linux-image-amd64, linux-image-6.12-amd64). The package is fetched with `apt-get download`
# and unpacked with `dpkg-deb -x` into the cache (never installed); an initramfs of busybox-static
# and the kernel's virtio/9p modules boots it. The guest mounts the host's root read-only over 9p
# at /host, mounts proc, sys, devtmpfs, tracefs, bpffs and a tmpfs on /tmp, /run and /var/cache
# there, chroots into it and runs COMMAND with `sh -c` as root in the current directory, so the
# host's JDK, clang and built tree run unchanged. With --out, DIR (which must exist) is shared
# writable at the same path: the command's files land on the host.
#
# The command's output is printed after the boot noise; the exit status is the command's, or 125
# when the guest did not get as far as running it (download, boot or timeout). The serial console
# log of the last run of KERNEL is kept in the cache as console.log.
#
# Environment: KERNEL_VM_CACHE (default /var/cache/ebpf-exporter/kernels), KERNEL_VM_MEMORY (MiB,
# 3072), KERNEL_VM_CPUS (1), KERNEL_VM_TIMEOUT (seconds for the whole boot and command, 1800).
# No /dev/kvm is needed: QEMU emulates the CPU (TCG), so everything runs ~10-30x slower than native.
set -eu

out=""
if [ "${1:-}" = "--out" ]; then
  out=$(cd "$2" && pwd)
  shift 2
fi
if [ $# -lt 2 ]; then
  echo "usage: $0 [--out DIR] KERNEL COMMAND..." >&2
  exit 2
fi
kernel=$1
shift
cache=${KERNEL_VM_CACHE:-/var/cache/ebpf-exporter/kernels}
memory=${KERNEL_VM_MEMORY:-3072}
# One vCPU by default: with two, the guest's JVM died of SIGSEGV/SIGILL at the entry of JIT-compiled
# methods in 2 of 6 boots (code patched by one vCPU while another ran it, under multi-threaded TCG);
# with one, in none of 6, for a matrix about a quarter slower (docs/kernel-matrix.md).
cpus=${KERNEL_VM_CPUS:-1}
timeout_s=${KERNEL_VM_TIMEOUT:-1800}
# The virtio PCI transport and the 9p file system.
modules="virtio virtio_ring virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p"
marker="@@kernel-vm: command output follows@@"

fail() {
  echo "kernel-vm: $*" >&2
  exit 125
}

need_packages() {
  missing=""
  command -v qemu-system-x86_64 >/dev/null 2>&1 || missing="$missing qemu-system-x86"
  [ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx insmod || missing="$missing busybox-static"
  command -v cpio >/dev/null 2>&1 || missing="$missing cpio"
  [ -z "$missing" ] && return 0
  [ "$(id -u)" = 0 ] || fail "missing packages:$missing (sudo apt-get install$missing)"
  echo "kernel-vm: installing$missing" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&2 \
    || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >&2; } \
    || fail "cannot install$missing"
}

# The concrete package: a meta package (no vmlinuz of its own) is replaced by the image it depends on.
resolve() {
  name=$1
  case "$name" in
    linux-image-amd64|linux-image-*[0-9]-amd64)
      if ! apt-cache show "$name" >/dev/null 2>&1; then
        apt-get update -q >&2 || true
      fi
      dep=$(apt-cache depends "$name" 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[^ ]*-amd64\)$/\1/p' | head -n1)
      if [ -n "$dep" ]; then
        echo "$dep"
        return
      fi
      ;;
  esac
  echo "$name"
}

need_packages
package=$(resolve "$kernel")
dir="$cache/$package"
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9  # one download/unpack at a time (concurrent test runs share the cache)
if [ ! -e "$dir/ready" ]; then
  echo "kernel-vm: fetching $package" >&2
  rm -rf "$dir" && mkdir -p "$dir/deb"
  (cd "$dir/deb" && apt-get download "$package" >&2 2>/dev/null) \
    || { apt-get update -q >&2; (cd "$dir/deb" && apt-get download "$package" >&2); } \
    || fail "apt-get download $package failed"
  dpkg-deb -x "$dir"/deb/*.deb "$dir/root" || fail "dpkg-deb -x failed for $package"
  rm -rf "$dir/deb"

  # The initramfs: busybox-static, the modules (decompressed: busybox insmod reads plain .ko) and /init.
  initrd="$dir/initrd.d"
  mkdir -p "$initrd/bin" "$initrd/modules" "$initrd/proc" "$initrd/sys" "$initrd/dev" "$initrd/host"
  cp /bin/busybox "$initrd/bin/busybox"
  release=$(ls "$dir/root/lib/modules")
  for m in $modules; do
    file=$(find "$dir/root/lib/modules/$release" -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" | head -n1)
    case "$file" in
      "") ;;  # built in, or merged into another (fscache is part of netfs since 6.4)
      *.xz) xz -dc "$file" > "$initrd/modules/$m.ko" ;;
      *.zst) zstd -qdc "$file" > "$initrd/modules/$m.ko" ;;
      *) cp "$file" "$initrd/modules/$m.ko" ;;
    esac
  done
  cat > "$initrd/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
# Passes until nothing more loads: the packages carry no modules.dep, and the order differs by release.
left="$modules"
for pass in 1 2 3 4 5; do
  still=""
  for m in \$left; do
    [ -e /modules/\$m.ko ] && ! insmod /modules/\$m.ko 2>/dev/null && still="\$still \$m"
  done
  left=\$still
done
[ -n "\$left" ] && echo "kernel-vm: cannot load modules:\$left"
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000 host /host || { echo "kernel-vm: mounting the host root failed"; reboot -f; }
mount -t proc proc /host/proc
mount -t sysfs sys /host/sys
mount -t devtmpfs dev /host/dev
mkdir -p /host/dev/pts /host/dev/shm 2>/dev/null
mount -t devpts devpts /host/dev/pts
mount -t tmpfs shm /host/dev/shm
for d in /tmp /run /var/cache /var/tmp; do mount -t tmpfs tmpfs /host\$d; done
cwd=\$(cat /kernel-vm.cwd)
# The working directory again on top (a tmpfs above may have hidden it, e.g. a checkout in /tmp).
mkdir -p "/host\$cwd" && mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000 workdir "/host\$cwd"
out=\$(cat /kernel-vm.out)
[ -n "\$out" ] && mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 results "/host\$out"
cp /kernel-vm.command /kernel-vm.cwd /host/run/
ifconfig lo 127.0.0.1 up
hostname kernel-vm
chroot /host /bin/sh -c '
  mount -t tracefs tracefs /sys/kernel/tracing
  mount -t debugfs debugfs /sys/kernel/debug
  mount -t bpf bpf /sys/fs/bpf
  mount -t cgroup2 cgroup2 /sys/fs/cgroup
  mount -t securityfs securityfs /sys/kernel/security
  cd "\$(cat /run/kernel-vm.cwd 2>/dev/null || echo /)"
  echo
  echo "$marker"
  sh -c "\$(cat /run/kernel-vm.command)" </dev/null
  echo "@@kernel-vm: exit \$?@@"
' </dev/console >/dev/console 2>&1
reboot -f
EOF
  chmod +x "$initrd/init"
  (cd "$initrd" && find . | cpio -o -H newc --quiet > "$dir/initrd.cpio") || fail "cpio failed"
  rm -rf "$initrd"
  touch "$dir/ready"
fi
flock -u 9

# This run's command, cwd and output dir: a second cpio archive appended to the initramfs (the kernel
# unpacks them in order). /init hands the command to the chroot through its /run, a tmpfs.
run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT
mkdir -p "$run/in"
printf '%s' "$*" > "$run/in/kernel-vm.command"
pwd > "$run/in/kernel-vm.cwd"
printf '%s' "$out" > "$run/in/kernel-vm.out"
(cd "$run/in" && ls | cpio -o -H newc --quiet > "$run/run.cpio")
cat "$dir/initrd.cpio" "$run/run.cpio" > "$run/initrd"

vmlinuz=$(ls "$dir"/root/boot/vmlinuz-*)
console="$run/console.log"
set -- -nographic -no-reboot -nic none -m "$memory" -smp "$cpus" -accel tcg,thread=multi -cpu max \
  -kernel "$vmlinuz" -initrd "$run/initrd" \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 lsm=lockdown,capability,yama,bpf" \
  -virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
  -virtfs "local,path=$(pwd),mount_tag=workdir,security_model=none,readonly=on,multidevs=remap"
[ -n "$out" ] && set -- "$@" -virtfs "local,path=$out,mount_tag=results,security_model=none,multidevs=remap"

# sed -u: line by line, so that the output shows while the guest runs.
timeout "$timeout_s" qemu-system-x86_64 "$@" </dev/null 2>&1 | sed -u 's/\r$//' | tee "$console" |
  awk -v marker="$marker" 'found && /^@@kernel-vm: exit [0-9]+@@$/ { found = 0; next } found { print; fflush() } index($0, marker) { found = 1 }'
cp "$console" "$cache/$package.console.log" 2>/dev/null || true
code=$(sed -n 's/^@@kernel-vm: exit \([0-9]*\)@@$/\1/p' "$console" | tail -n1)
if [ -z "$code" ]; then
  echo "kernel-vm: $package did not run the command (timeout ${timeout_s}s or boot failure); console log: $cache/$package.console.log" >&2
  tail -n 20 "$console" >&2
  exit 125
fi
exit "$code"
