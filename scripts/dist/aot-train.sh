#!/bin/sh
# Makes the JDK 25 AOT cache lib/ebpf-exporter.aot of an installed distribution tree: a training run
# (load timers and biolatency, scrape, stop) with the tree's own runtime and jars. The cache records the
# jars' absolute paths and the JVM uses it only where they are the same, so TREE must be the path the
# exporter will run from. Needs root and BPF, as the exporter. Used by scripts/dist.sh (at the install
# prefix, in a private mount namespace) and by install.sh (where the tree was unpacked).
#   lib/aot-train.sh TREE    output: the run's log on stdout; exit 0 when the cache was written
set -eu
tree=$1
. "$tree/lib/jvm-flags.sh"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rm -f "$tree/lib/ebpf-exporter.aot"
# shellcheck disable=SC2086 # jvm_flags is a list of flags without spaces
"$tree/runtime/bin/java" $jvm_flags -XX:AOTCacheOutput="$tree/lib/ebpf-exporter.aot" -Xlog:aot=warning \
  -p "$tree/modules" -m dev.ebpfexporter/dev.ebpfexporter.cli.Main \
  --config.dir="$tree/examples" --config.names=timers,biolatency --web.listen-address=127.0.0.1:0 >"$log" 2>&1 &
pid=$!
address=
for _ in $(seq 1 600); do
  address=$(sed -n 's/.*listening on \/\{0,1\}\([0-9.]*:[0-9]*\).*/\1/p' "$log" | head -1)
  [ -n "$address" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "error: AOT training run exited early" >&2; exit 1; }
  sleep 0.1
done
[ -n "$address" ] || { kill "$pid"; cat "$log"; echo "error: AOT training run did not listen in 60 s" >&2; exit 1; }
for path in /metrics /metrics / /-/healthy /metrics; do
  # The log line can come a moment before the first accept: retry refused connections, bounded.
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --retry 30 --retry-delay 1 --retry-connrefused -o /dev/null "http://$address$path"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -t 30 -O /dev/null "http://$address$path"
  else
    echo "warning: neither curl nor wget: the AOT cache covers start-up, not scrapes" >&2
    break
  fi
done
kill -TERM "$pid"
wait "$pid" || true
cat "$log"
[ -s "$tree/lib/ebpf-exporter.aot" ] || { echo "error: no AOT cache written" >&2; exit 1; }
