#!/bin/sh
# The JDK 25 AOT cache training run, the one script for both caches:
#   lib/aot-train.sh TREE                      an installed distribution tree's lib/ebpf-exporter.aot, with the
#                                              tree's own runtime and jars (scripts/dist.sh at the install prefix,
#                                              install.sh where the tree was unpacked); the log goes to stdout
#   scripts/dist/aot-train.sh --command CACHE LOG COMMAND...
#                                              the build's cache for ./ebpf_exporter (scripts/aot-cache.sh):
#                                              COMMAND starts the launcher with -XX:AOTCacheOutput=CACHE
# The run loads timers and biolatency, listens on 127.0.0.1:0, is scraped as Prometheus and a browser would
# (text, gzip, protobuf, the landing page, health: the classes each one loads) and stopped with SIGTERM (the
# JVM writes the cache as it exits). The cache records the jars' absolute paths and the JVM uses it only where
# they are the same, so TREE must be the path the exporter will run from. Needs root and BPF, as the exporter.
# Exit 0 when the cache was written; the exporter it started never outlives it.
set -eu
examples() { echo "--config.dir=$1 --config.names=timers,biolatency --web.listen-address=127.0.0.1:0"; }
if [ "${1:-}" = --command ]; then
  cache=$2
  log=$3
  shift 3
  show_log=false
else
  tree=$1
  . "$tree/lib/jvm-flags.sh"
  cache=$tree/lib/ebpf-exporter.aot
  log=$(mktemp)
  show_log=true
  # shellcheck disable=SC2086 # jvm_flags and examples are lists of flags without spaces
  set -- "$tree/runtime/bin/java" $jvm_flags -XX:AOTCacheOutput="$cache" -Xlog:aot=warning \
    -p "$tree/modules" -m dev.ebpfexporter/dev.ebpfexporter.cli.Main $(examples "$tree/examples")
fi
pid=
finish() {
  status=$?
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
  if [ "$show_log" = true ]; then cat "$log"; rm -f "$log"; elif [ "$status" != 0 ]; then cat "$log" >&2; fi
}
trap finish EXIT
trap 'exit 1' INT TERM HUP
rm -f "$cache"
"$@" >"$log" 2>&1 &
pid=$!
address=
for _ in $(seq 1 600); do
  address=$(sed -n 's/.*listening on \/\{0,1\}\([0-9.]*:[0-9]*\).*/\1/p' "$log" | head -1)
  [ -n "$address" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "error: AOT training run exited early" >&2; exit 1; }
  sleep 0.1
done
[ -n "$address" ] || { echo "error: AOT training run did not listen in 60 s" >&2; exit 1; }
# The log line can come a moment before the first accept: retry refused connections, bounded.
get() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --retry 30 --retry-delay 1 --retry-connrefused -o /dev/null "$@" "http://$address$path"
  else
    wget -q -t 30 -O /dev/null "$@" "http://$address$path"
  fi
}
if command -v curl >/dev/null 2>&1 || command -v wget >/dev/null 2>&1; then
  path=/metrics get
  path=/metrics get --header 'Accept-Encoding: gzip'
  path=/metrics get --header 'Accept: application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited'
  path=/ get
  path=/-/healthy get
  path=/metrics get
else
  echo "warning: neither curl nor wget: the AOT cache covers start-up, not scrapes" >&2
fi
kill -TERM "$pid"
wait "$pid" || true
pid=
[ -s "$cache" ] || { echo "error: no AOT cache written" >&2; exit 1; }
