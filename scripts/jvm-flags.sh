# Sourced by ./ebpf_exporter and by the launcher of the distribution (scripts/dist.sh): the JVM
# flags both use, so the two never drift apart. Sets jvm_flags (flags without spaces, split by the
# shell); each launcher adds its own class-data/AOT archive flags.
#
# A small, steady footprint for an always-on node agent (measured in benchmarks/README.md):
# - G1 with a periodic full GC when idle, so startup garbage (the kallsyms parse, BTF) goes and the
#   heap is uncommitted. Every 30 s: a scrape now allocates little (label sets are encoded once,
#   values written into a reused buffer), and a full GC every 3 s cost ~0.85% of a core when idle
#   against ~0.1% at 30 s. Serial GC idles at ~0% but never gave back the heap it grew at startup
#   (~100 MiB RSS against ~78 MiB); a 128 MiB cap instead of 256 MiB trims G1's own tables.
# - glibc malloc trimmed every 5 s (TrimNativeHeapInterval): libbpf's BTF parse at load and C1's
#   arenas free several MiB that glibc would otherwise keep resident (~6 MiB of RSS).
# - C1 only and a modest code cache: scrape work is short loops, C2 would buy little for its memory.
jvm_flags="-XX:+UseG1GC -Xms8m -Xmx128m -XX:MaxHeapFreeRatio=20 -XX:MinHeapFreeRatio=5
  -XX:G1PeriodicGCInterval=30000 -XX:-G1PeriodicGCInvokesConcurrent -XX:TrimNativeHeapInterval=5000
  -XX:ReservedCodeCacheSize=32m -XX:TieredStopAtLevel=1 -Xss512k -XX:SoftRefLRUPolicyMSPerMB=200
  --enable-native-access=dev.ebpfexporter"
