#!/bin/sh
# Our own libbpf (the build's generate-resources phase runs this): libbpf 1.5.0 from Debian's source
# package, built once per machine and cached, then copied into the build:
#   <build>/native/libbpf.so.1.5.0, libbpf.so.1 -> libbpf.so.1.5.0, libelf.so.1   (loaded by LibBpf)
#   <build>/libbpf/include/{bpf,linux}/*.h       (its headers and the kernel UAPI headers it was written against)
# The source comes from Debian 13 (trixie) through apt-get with a private configuration (nothing under
# /etc/apt changes): apt checks the signed index and the .dsc's checksums, and this script checks the
# orig tarball against the sha256 pinned below. It is compiled against a Debian 11 (bullseye) sysroot made
# from that release's .debs (dpkg-deb -x, nothing installed), so that it needs no glibc newer than Debian
# 11's 2.31: glibc 2.33+ headers bind stat/fstat to GLIBC_2.33 symbols. zlib is linked in statically.
# libelf is not: bullseye's libelf.a is not position-independent (its thread-local error variable uses
# the executable-only TLS model), so bullseye's libelf.so.1 ships beside libbpf.so.1, found through its
# RUNPATH $ORIGIN; Debian 11's minimal root has no libelf1.
# Cache: /var/cache/ebpf-exporter/libbpf as root, else ~/.cache/ebpf-exporter/libbpf (or
# $EBPF_EXPORTER_LIBBPF_CACHE), keyed by the source's sha256 and this script's own sha256.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EBPF_EXPORTER_BUILD:-$root/target}
version=1.5.0
orig=libbpf_$version.orig.tar.gz
sha256=53492aff6dd47e4da04ef5e672d753b9743848bdb38e9d90eafbe190b7983c44
# Only LibbpfSourceIT sets this, to see a wrong checksum refused (it names its own cache).
sha256=${EBPF_EXPORTER_LIBBPF_SHA256:-$sha256}
# Debian 11's packages the sysroot is made of: headers and libraries to compile and link against.
sysroot_debs="libc6 libc6-dev linux-libc-dev libelf1 libelf-dev zlib1g zlib1g-dev"
multiarch=$(cc -dumpmachine | sed 's/-pc-/-/')  # x86_64-linux-gnu, aarch64-linux-gnu

if [ -n "${EBPF_EXPORTER_LIBBPF_CACHE:-}" ]; then
  cache=$EBPF_EXPORTER_LIBBPF_CACHE
elif [ "$(id -u)" = 0 ]; then
  cache=/var/cache/ebpf-exporter/libbpf
else
  cache=${XDG_CACHE_HOME:-$HOME/.cache}/ebpf-exporter/libbpf
fi
recipe=$(sha256sum "$0" | cut -c1-12)
done_dir=$cache/$sha256/$recipe-$multiarch

say() { echo "ebpf_exporter build: libbpf $version: $*"; }

build_libbpf() {
  work=$(mktemp -d "$cache/.build.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  mirror=$("$root/scripts/debian-mirror.sh")
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/src" "$work/debs" "$work/sysroot"
  cat > "$work/apt/sources.list" <<EOF
deb-src [signed-by=$keyring] $mirror trixie main
deb [signed-by=$keyring] $mirror bullseye main
EOF
  set -- -q -o Dir::Etc::sourcelist="$work/apt/sources.list" -o Dir::Etc::sourceparts=- \
    -o Dir::State::Lists="$work/apt/lists" -o Dir::Cache="$work/apt/cache" -o Dir::State::status=/dev/null \
    -o APT::Sandbox::User="$(id -un)"
  log=$work/build.log

  say "fetching Debian's source package (trixie) and the Debian 11 sysroot packages into $cache"
  { apt-get "$@" update && (cd "$work/src" && apt-get "$@" source --download-only libbpf) \
      && (cd "$work/debs" && apt-get "$@" download $sysroot_debs); } >"$log" 2>&1 \
    || { tail -20 "$log" >&2; echo "error: libbpf: cannot fetch from $mirror (log above)" >&2; exit 1; }
  # The pinned checksum, then the .dsc's (whose own checksum apt checked against the signed index).
  dsc=$(ls "$work"/src/libbpf_"$version"-*.dsc)
  echo "$sha256  $work/src/$orig" | sha256sum -c --status \
    || { echo "error: libbpf: $orig has sha256 $(sha256sum "$work/src/$orig" | cut -d' ' -f1), expected $sha256" >&2; exit 1; }
  (cd "$work/src" && sed -n '/^Checksums-Sha256:/,/^[^ ]/s/^ \([0-9a-f]\{64\}\) [0-9]* \(.*\)$/\1  \2/p' "$dsc" \
    | sha256sum -c --status) || { echo "error: libbpf: the files do not match $(basename "$dsc")" >&2; exit 1; }

  say "compiling against Debian 11 (glibc 2.31) with libelf and zlib (make)"
  for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/sysroot"; done
  # Absolute symlinks of the packages (libz.so, the dynamic loader) point into the sysroot instead.
  find "$work/sysroot" -type l | while read -r link; do
    case $(readlink "$link") in /*) ln -sfn "$work/sysroot$(readlink "$link")" "$link" ;; esac
  done
  tar -C "$work/src" -xzf "$work/src/$orig"
  tar -C "$work/src/libbpf-$version" -xJf "$work"/src/libbpf_"$version"-*.debian.tar.xz
  src=$work/src/libbpf-$version
  # Debian's patches, in the order of its series file.
  grep -v '^#' "$src/debian/patches/series" | while read -r patch; do
    [ -n "$patch" ] && patch -s -d "$src" -p1 < "$src/debian/patches/$patch"
  done
  lib=$work/sysroot/usr/lib/$multiarch
  # '\$$ORIGIN': make turns $$ into $, the shell keeps \$ as $.
  make -C "$src/src" -j2 NO_PKG_CONFIG=1 OBJDIR="$work/out" CC="cc --sysroot=$work/sysroot" \
    CFLAGS="-g -O2 -Wall -std=gnu89 -fstack-protector-strong -D_FORTIFY_SOURCE=2" \
    ALL_LDFLAGS="-Wl,-z,relro -Wl,-z,now -Wl,-rpath,'\$\$ORIGIN' -L$lib -l:libelf.so.1 $lib/libz.a" \
    "$work/out/libbpf.so.$version" >>"$log" 2>&1 \
    && make -C "$src/src" install_headers install_uapi_headers DESTDIR="$work/done" INCLUDEDIR=/include \
      UAPIDIR=/include >>"$log" 2>&1 \
    || { tail -20 "$log" >&2; echo "error: libbpf: make failed (log above)" >&2; exit 1; }
  mkdir -p "$work/done/lib"
  cp "$work/out/libbpf.so.$version" "$work/done/lib/"
  cp -L "$lib/libelf.so.1" "$work/done/lib/libelf.so.1"
  basename "$dsc" .dsc > "$work/done/SOURCE"
  mkdir -p "$(dirname "$done_dir")"
  mv "$work/done" "$done_dir"
}

mkdir -p "$cache"
if [ ! -d "$done_dir" ]; then
  # One build at a time per cache (parallel builds of several trees wait for the first one).
  exec 9>"$cache/.lock"
  flock 9
  [ -d "$done_dir" ] || (build_libbpf)
  flock -u 9
fi

# Into the build, replacing what an older version left there.
mkdir -p "$build/native" "$build/libbpf"
rm -f "$build"/native/libbpf.so* "$build/native/libelf.so.1"
# -p: the cached files' times, so that make does not see new headers on every build.
cp -p "$done_dir/lib/libbpf.so.$version" "$done_dir/lib/libelf.so.1" "$build/native/"
ln -s "libbpf.so.$version" "$build/native/libbpf.so.1"
rm -rf "$build/libbpf/include"
cp -rp "$done_dir/include" "$build/libbpf/include"
