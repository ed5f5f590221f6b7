#!/bin/sh
# Makes target/ebpf-exporter.aot, the JDK 25 AOT cache ./ebpf_exporter starts with (classes loaded and
# linked, method profiles), by a training run of the launcher itself on the default examples (run by
# ./mvnw package after the jar; scripts/dist/aot-train.sh says what the run does). The run loads BPF
# programs, so it needs root: elsewhere this says so and the launcher starts without the cache.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EBPF_EXPORTER_BUILD:-$root/target}
cache=$build/ebpf-exporter.aot
if [ "$(id -u)" != 0 ]; then
  rm -f "$cache"
  echo "note: not root, so no AOT cache for ./ebpf_exporter (its training run loads BPF); it starts slower"
  exit 0
fi
if ! JAVA_OPTS="-XX:AOTCacheOutput=$cache -Xlog:aot=warning" "$root/scripts/dist/aot-train.sh" --command "$cache" \
    "$build/aot-training.log" "$root/ebpf_exporter" --config.dir="$root/examples" --config.names=timers,biolatency \
    --web.listen-address=127.0.0.1:0; then
  rm -f "$cache"
  # A machine that refuses BPF even to root: a failure in CI (as the BPF tests are), a warning elsewhere.
  [ "${CI:-}" = true ] && exit 1
  echo "warning: AOT training run failed (see $build/aot-training.log); ./ebpf_exporter starts without the cache"
fi
