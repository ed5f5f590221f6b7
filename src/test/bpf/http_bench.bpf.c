// SPDX-License-Identifier: GPL-2.0
/*
 * http_bench: the three map shapes of the HTTP scrape benchmark, each large enough for 100,000
 * entries: a u64 key, a two-u32 struct key and an exp2 histogram keyed by (u32 id, u32 bucket).
 * The benchmark fills them from user space (by map id, in the launched exporter); its exec
 * counter only gives the object something to load.
 */
#include "exec_counter.bpf.h"

struct pair_key { u32 pid; u32 slot; };
struct hist_key { u32 id; u32 bucket; };

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 100000); __type(key, u64); __type(value, u64); }
    http_u64_total SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 100000); __type(key, struct pair_key); __type(value, u64); }
    http_pair_total SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 100000); __type(key, struct hist_key); __type(value, u64); }
    http_seconds SEC(".maps");

/* Something for the object to load and attach; the exec count it keeps is not exported. */
EXEC_COUNTER(http_bench_execs, http_bench_exec)

char LICENSE[] SEC("license") = "GPL";
