#!/bin/sh
# Runs a command inside a real Debian kernel under QEMU, on this machine's own root file system.
#
#   scripts/kernel-vm.sh [--out DIR] KERNEL[/SUITE] COMMAND...
#
# KERNEL is a Debian kernel package (linux-image-6.1.0-57-amd64) or a meta package that depends on
# one (linux-image-amd64, linux-image-6.12-amd64). Without /SUITE it comes from this machine's apt
# sources; with one (linux-image-amd64/bullseye, linux-image-amd64/unstable) from that Debian suite
# through a private apt configuration in the cache (/etc/apt is never touched). The packages (the
# image and, where the image is a meta package as in unstable, the linux-binary-*, linux-modules-*
# and linux-base-* it depends on) are fetched with `apt-get download` and unpacked with `dpkg-deb -x`
# into the cache (never installed); an initramfs of busybox-static and the kernel's virtio, 9p,
# virtio-blk and ext4 modules (with the modules they depend on) boots it. The guest mounts the
# host's root read-only over 9p at /host, mounts proc, sys, devtmpfs, tracefs, bpffs, cgroup2 (every
# controller enabled for child cgroups) and a tmpfs on /tmp, /run and /var/cache there, and a fresh
# 256 MiB scratch disk (virtio-blk /dev/vda, ext2 made by mke2fs, mounted with the ext4 driver) on
# /var/tmp, so that block IO reaches a real block device; then chroots into it and runs COMMAND with
# `sh -c` as root in the current directory, so the host's JDK, clang and built tree run unchanged.
# With --out, DIR (which must exist) is shared writable at the same path: the command's files land
# on the host.
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
# The virtio PCI transport, the 9p file system, the virtio disk and ext4, plus what they need (found
# from each module's depends=; ext4 on 5.10 also asks the crypto API for crc32c on every mount). A
# name the kernel builds in, or does not have, is left out.
modules="virtio_pci 9pnet_virtio 9p virtio_blk ext4 crc32c_generic"
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

# apt-get/apt-cache on this machine's sources, or on SUITE's through a private configuration.
apt_suite() {
  tool=$1
  shift
  if [ -z "$suite" ]; then
    "$tool" "$@"
    return
  fi
  "$tool" -o APT::Sandbox::User=root -o Dir::Etc::sourcelist="$suite_dir/sources.list" -o Dir::Etc::sourceparts=- \
    -o Dir::State::Lists="$suite_dir/lists" -o Dir::Cache="$suite_dir/cache" "$@"
}

apt_update() {
  if [ -z "$suite" ]; then
    apt-get update -q >&2
    return
  fi
  mkdir -p "$suite_dir/lists/partial" "$suite_dir/cache/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main" \
    > "$suite_dir/sources.list"
  apt_suite apt-get update -q >&2
}

# The packages to unpack: KERNEL and, recursively, the linux-image-*, linux-binary-*, linux-modules-*
# and linux-base-<release> packages it depends on (a meta package has no vmlinuz of its own; in
# unstable even linux-image-<release> is one). Prints them one a line, the kernel's own image last
# but for its parts.
closure() {
  queue=$1
  seen=""
  while set -- $queue && [ $# -gt 0 ]; do
    name=$1
    shift
    queue="$*"
    case " $seen " in *" $name "*) continue ;; esac
    seen="$seen $name"
    echo "$name"
    deps=$(apt_suite apt-cache depends "$name" 2>/dev/null \
      | sed -n 's/^ *|\{0,1\}\(Pre\)\{0,1\}Depends: \(linux-\(image\|binary\|modules\|base\)-[^ <>]*[0-9][^ <>]*\)$/\2/p')
    queue="$queue $deps"
  done
}

need_packages
suite=""
case "$kernel" in
  */*) suite=${kernel#*/}; kernel=${kernel%%/*} ;;
esac
mkdir -p "$cache"
suite_dir="$cache/apt-$suite"
[ -z "$suite" ] || [ -e "$suite_dir/lists/lock" ] || apt_update || fail "apt-get update for $suite failed"
apt_suite apt-cache show "$kernel" >/dev/null 2>&1 || apt_update || true
packages=$(closure "$kernel")
[ -n "$packages" ] || fail "no package $kernel${suite:+ in $suite}"
# The cache directory is named after the most concrete image package (linux-image-<release>).
package=$(echo "$packages" | grep '^linux-image-' | tail -n1)
dir="$cache/$package"
exec 9>"$cache/.lock"
flock 9  # one download/unpack at a time (concurrent test runs share the cache)
if [ ! -e "$dir/unpacked" ] && [ ! -e "$dir/ready" ]; then  # ready: made by this script before 2026-12
  echo "kernel-vm: fetching" $packages >&2
  rm -rf "$dir" && mkdir -p "$dir/deb"
  (cd "$dir/deb" && apt_suite apt-get download $packages >&2 2>/dev/null) \
    || { apt_update; (cd "$dir/deb" && apt_suite apt-get download $packages >&2); } \
    || fail "apt-get download $packages failed"
  for deb in "$dir"/deb/*.deb; do
    dpkg-deb -x "$deb" "$dir/root" || fail "dpkg-deb -x failed for $deb"
  done
  rm -rf "$dir/deb"
  # Older packages keep the kernel and its config in /boot; unstable's only in
  # /usr/lib/modules/<release>/: linked into boot/ as the older ones have them.
  for release_dir in "$dir"/root/usr/lib/modules/*; do
    release=${release_dir##*/}
    if [ -e "$release_dir/vmlinuz" ] && [ ! -e "$dir/root/boot/vmlinuz-$release" ]; then
      mkdir -p "$dir/root/boot"
      ln -s "../usr/lib/modules/$release/vmlinuz" "$dir/root/boot/vmlinuz-$release"
      ln -s "../usr/lib/modules/$release/config" "$dir/root/boot/config-$release"
    fi
  done
  [ -n "$(ls "$dir"/root/boot/vmlinuz-* 2>/dev/null)" ] || fail "no boot/vmlinuz-* in" $packages
  touch "$dir/unpacked"
fi
# The initramfs is made again when this script's way of making it changed (initrd-VERSION.cpio).
initrd_cpio="$dir/initrd-3.cpio"
if [ ! -e "$initrd_cpio" ]; then
  # The initramfs: busybox-static, the modules (decompressed: busybox insmod reads plain .ko) and /init.
  initrd="$dir/initrd.d"
  rm -rf "$initrd"
  mkdir -p "$initrd/bin" "$initrd/modules" "$initrd/proc" "$initrd/sys" "$initrd/dev" "$initrd/host"
  cp /bin/busybox "$initrd/bin/busybox"
  moddir=$(ls -d "$dir"/root/lib/modules/* "$dir"/root/usr/lib/modules/* 2>/dev/null | head -n1)
  [ -n "$moddir" ] || fail "no lib/modules in" $packages
  # Depth first, dependencies before the module, each once: the order /init loads them in.
  add_module() {
    [ -e "$initrd/modules/$1.ko" ] && return 0
    file=$(find "$moddir" \( -name "$1.ko" -o -name "$1.ko.xz" -o -name "$1.ko.zst" \) | head -n1)
    case "$file" in
      "") return 0 ;;  # built in, merged into another (fscache into netfs since 6.4) or absent (netfs on 5.10)
      *.xz) xz -dc "$file" > "$initrd/modules/$1.ko" ;;
      *.zst) zstd -qdc "$file" > "$initrd/modules/$1.ko" ;;
      *) cp "$file" "$initrd/modules/$1.ko" ;;
    esac
    for dep in $(tr '\0' '\n' < "$initrd/modules/$1.ko" | sed -n 's/^depends=//p' | tr ',' ' '); do
      add_module "$dep"
    done
    echo "$1" >> "$initrd/modules/order"
  }
  : > "$initrd/modules/order"
  for m in $modules; do
    add_module "$m"
  done
  cat > "$initrd/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
# Dependencies first (the order the host found from each module's depends=).
left=""
for m in \$(cat /modules/order); do
  insmod /modules/\$m.ko 2>/dev/null || left="\$left \$m"
done
[ -n "\$left" ] && echo "kernel-vm: cannot load modules:\$left"
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000 host /host || { echo "kernel-vm: mounting the host root failed"; reboot -f; }
mount -t proc proc /host/proc
mount -t sysfs sys /host/sys
mount -t devtmpfs dev /host/dev
mkdir -p /host/dev/pts /host/dev/shm 2>/dev/null
mount -t devpts devpts /host/dev/pts
mount -t tmpfs shm /host/dev/shm
for d in /tmp /run /var/cache; do mount -t tmpfs tmpfs /host\$d; done
# The scratch disk on /var/tmp (where the tests put files whose block IO they trace); the disk may
# show up a moment after its driver loaded.
for i in 1 2 3 4 5 6 7 8 9 10; do [ -b /dev/vda ] && break; sleep 0.5; done
if ! mount -t ext4 /dev/vda /host/var/tmp; then
  echo "kernel-vm: mounting the scratch disk /dev/vda failed; /var/tmp is a tmpfs"
  mount -t tmpfs tmpfs /host/var/tmp
fi
chmod 1777 /host/var/tmp
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
  # Every controller for child cgroups, as systemd leaves a host (tests make memory-limited ones).
  for c in \$(cat /sys/fs/cgroup/cgroup.controllers); do echo "+\$c" > /sys/fs/cgroup/cgroup.subtree_control; done 2>/dev/null
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
  (cd "$initrd" && find . | cpio -o -H newc --quiet > "$initrd_cpio.tmp") && mv "$initrd_cpio.tmp" "$initrd_cpio" \
    || fail "cpio failed"
  rm -rf "$initrd"
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
cat "$initrd_cpio" "$run/run.cpio" > "$run/initrd"

# The scratch disk: ext2 on disk (no journal, no checksums: every kernel's ext4 mounts it), fresh
# for every run.
truncate -s 256M "$run/scratch.img"
mke2fs -q -F -t ext2 "$run/scratch.img" || fail "mke2fs failed"

vmlinuz=$(ls "$dir"/root/boot/vmlinuz-*)
console="$run/console.log"
set -- -nographic -no-reboot -nic none -m "$memory" -smp "$cpus" -accel tcg,thread=multi -cpu max \
  -kernel "$vmlinuz" -initrd "$run/initrd" \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 lsm=lockdown,capability,yama,bpf" \
  -drive "file=$run/scratch.img,format=raw,if=virtio" \
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
