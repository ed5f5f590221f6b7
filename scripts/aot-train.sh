#!/bin/sh
# JDK 25 AOT cache training run of the build (scripts/aot-cache.sh, for ./ebpf_exporter; the tarball
# has its own, scripts/dist/aot-train.sh, which install.sh also runs where the tree is installed):
#   scripts/aot-train.sh CACHE LOG COMMAND...
# COMMAND starts the exporter exactly as its launcher will (same java, JVM flags, module path) plus
# -XX:AOTCacheOutput=CACHE, the default examples and --web.listen-address=127.0.0.1:0. This waits until
# it listens, scrapes it as Prometheus and a browser would, stops it with SIGTERM (the JVM writes the
# cache as it exits) and checks that the cache is there. Needs root and BPF, as the exporter does.
set -eu
cache=$1
log=$2
shift 2
rm -f "$cache"
"$@" >"$log" 2>&1 &
pid=$!
address=
for _ in $(seq 1 600); do
  address=$(sed -n 's/.*listening on \/\{0,1\}\([0-9.]*:[0-9]*\).*/\1/p' "$log" | head -1)
  [ -n "$address" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "error: AOT training run exited early" >&2; exit 1; }
  sleep 0.1
done
[ -n "$address" ] || { kill "$pid"; cat "$log" >&2; echo "error: AOT training run did not listen in 60 s" >&2; exit 1; }
# Text, gzip and protobuf as Prometheus asks, the landing page and health: the classes each one loads.
# The log line can come a moment before the first accept: retry refused connections, bounded.
get() {
  curl -fsS --retry 30 --retry-delay 1 --retry-connrefused -o /dev/null "$@"
}
get "http://$address/metrics"
get -H 'Accept-Encoding: gzip' "http://$address/metrics"
get -H 'Accept: application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited' \
  "http://$address/metrics"
get "http://$address/"
get "http://$address/-/healthy"
get "http://$address/metrics"
kill -TERM "$pid"
wait "$pid" || true
[ -s "$cache" ] || { cat "$log" >&2; echo "error: no AOT cache written" >&2; exit 1; }
