// SPDX-License-Identifier: GPL-2.0
/*
 * histogram_bench: one exp2 histogram map large enough for 10,000 label sets of 27 buckets and a
 * sum each, which the scrape benchmark fills from user space (by map id, in the launched
 * exporter); its exec counter only gives the object something to load.
 */
#include "exec_counter.bpf.h"

struct hist_key { u32 id; u32 bucket; };
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 300000); __type(key, struct hist_key); __type(value, u64); }
    bench_seconds SEC(".maps");

/* Something for the object to load and attach; the exec count it keeps is not exported. */
EXEC_COUNTER(histogram_bench_execs, histogram_bench_exec)

char LICENSE[] SEC("license") = "GPL";
