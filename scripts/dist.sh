#!/bin/sh
# Builds the self-contained distribution from the packaged jar (run by
# ./mvnw -q -B package -DskipTests -Pdist, or by hand after a package):
#   target/dist/ebpf_exporter-<version>/                  install.sh bin/ lib/ modules/ runtime/ examples/ docs/ deploy/
#   target/dist/ebpf_exporter-<version>.linux-<arch>.tar.gz
# runtime/ is a jlink'ed Java runtime holding only the JDK modules that jdeps finds in our jar and its
# libraries; lib/ebpf-exporter.aot is a JDK 25 AOT cache from a training run (load two examples,
# scrape, stop), which needs root and BPF like the exporter itself.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/.mvn/find-java.sh"
build=${EBPF_EXPORTER_BUILD:-$root/target}
version=${1:-$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -1)}
arch=$(uname -m)
name=ebpf_exporter-$version
out=$build/dist/$name
jar=$build/ebpf-exporter.jar
[ -f "$jar" ] || { echo "error: $jar is not built yet; run: ./mvnw -q package -DskipTests" >&2; exit 1; }

rm -rf "$out" "$build/dist/$name.linux-$arch.tar.gz"
mkdir -p "$out/bin" "$out/lib" "$out/modules" "$out/examples" "$out/docs" "$out/deploy"
cp "$jar" "$build"/lib/*.jar "$out/modules/"

# Only the JDK modules our code and its libraries use, as jdeps reads them from the bytecode.
modules=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --multi-release 25 --print-module-deps \
  --module-path "$build/lib" "$jar" "$build"/lib/*.jar 2>/dev/null | tail -1)
case "$modules" in java.base*) ;; *) echo "error: jdeps found no modules: $modules" >&2; exit 1 ;; esac
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --output "$out/runtime"
echo "$modules" > "$out/runtime/MODULES"

cp "$root/scripts/jvm-flags.sh" "$out/lib/"
# Our libbpf (scripts/libbpf.sh: libbpf.so.1.5.0, the libbpf.so.1 link to it, bullseye's libelf.so.1 it
# needs) and post_attach_mark (src/main/c), built by the build; found in lib/ above modules/.
cp -P "$build"/native/libbpf.so.1 "$build"/native/libbpf.so.1.* "$build/native/libelf.so.1" \
  "$build/native/libpost_attach_mark.so" "$out/lib/"
# Our libbpf's BPF-side headers (bpf/bpf_helpers.h, ...), for the inline format's clang (NativeLibraries.headers).
mkdir -p "$out/lib/include"
cp -r "$build/libbpf/include/bpf" "$out/lib/include/"
cp "$root/scripts/dist/ebpf_exporter" "$out/bin/"
chmod +x "$out/bin/ebpf_exporter"
cp "$root"/examples/*.yaml "$root"/examples/*.bpf.o "$root/examples/README.md" "$out/examples/"
cp "$root"/docs/*.md "$out/docs/"
cp "$root/README.md" "$root/CHANGELOG.md" "$out/"
[ -d "$root/deploy/systemd" ] && cp -r "$root/deploy/systemd" "$out/deploy/"
[ -d "$root/deploy/kubernetes" ] && cp -r "$root/deploy/kubernetes" "$out/deploy/"

# AOT cache training run (lib/aot-train.sh): the bundled runtime and jars, exactly as the launcher starts
# them. The cache holds the jars' absolute paths and is used only where they are the same, so the run
# sees the tree at its install prefix (default /opt/ebpf_exporter, as the systemd unit and the image use
# it), bind-mounted there in a private mount namespace: nothing outside this build changes. Unpacked
# anywhere else, the exporter runs as well, without the cache until install.sh makes one there.
prefix=${EBPF_EXPORTER_PREFIX:-/opt/ebpf_exporter}
cp "$root/scripts/dist/aot-train.sh" "$out/lib/"
cp "$root/scripts/dist/install.sh" "$out/"
chmod +x "$out/lib/aot-train.sh" "$out/install.sh"
log=$build/dist/aot-training.log
mkdir -p "$(dirname "$prefix")"
# shellcheck disable=SC2016 # expanded by the inner shell
unshare --mount --propagation private sh -c '
  set -e
  mount -t tmpfs none "$(dirname "$1")"; mkdir "$1"; mount --bind "$2" "$1"
  exec "$1/lib/aot-train.sh" "$1"' \
  sh "$prefix" "$out" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
# install.sh makes the cache again when the tree is installed anywhere else.
echo "$prefix" > "$out/lib/ebpf-exporter.aot.prefix"

tar -C "$build/dist" -czf "$build/dist/$name.linux-$arch.tar.gz" "$name"
echo "dist: $out ($(du -sh "$out" | cut -f1)), $build/dist/$name.linux-$arch.tar.gz ($(du -sh "$build/dist/$name.linux-$arch.tar.gz" | cut -f1)); JDK modules: $modules"
