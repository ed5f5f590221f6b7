// SPDX-License-Identifier: GPL-2.0
/*
 * maps: one map per kind the exporter reads (hash, array, per-CPU hash and array, LRU hash), a
 * multi-value counter and histograms of every bucket type. The tests fill the maps from user
 * space and assert the exact exposition; the one program only gives the object something to load.
 */
#include "exec_counter.bpf.h"

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 64); __type(key, u32); __type(value, u64); }
    hash_events_total SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, u32); __type(value, u64); }
    array_events_total SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_HASH); __uint(max_entries, 64); __type(key, u32); __type(value, u64); }
    percpu_hash_events_total SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 2); __type(key, u32); __type(value, u64); }
    percpu_array_events_total SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 2); __type(key, u32); __type(value, u64); }
    per_cpu_events_total SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_LRU_HASH); __uint(max_entries, 64); __type(key, char[8]); __type(value, u64); }
    lru_events_total SEC(".maps");

/* Multi-value counter (the reference's complex-value example): two u64s per key. */
struct rq_completion { u64 count; u64 bytes; };
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 64); __type(key, u32); __type(value, struct rq_completion); }
    completions SEC(".maps");

/* Histograms: key {u32 op; u32 bucket}; HISTOGRAM_MAP defines one of map type type_ called name. */
struct hist_key { u32 op; u32 bucket; };
#define HISTOGRAM_MAP(type_, name)                                                                                    \
    struct { __uint(type, type_); __uint(max_entries, 256); __type(key, struct hist_key); __type(value, u64); } \
        name SEC(".maps")
HISTOGRAM_MAP(BPF_MAP_TYPE_HASH, exp2_seconds);
HISTOGRAM_MAP(BPF_MAP_TYPE_HASH, exp2zero_bytes);
HISTOGRAM_MAP(BPF_MAP_TYPE_HASH, linear_items);
HISTOGRAM_MAP(BPF_MAP_TYPE_HASH, fixed_sizes);
/* A per-CPU histogram: buckets summed over CPUs. */
HISTOGRAM_MAP(BPF_MAP_TYPE_PERCPU_HASH, percpu_exp2_seconds);
/* A per-CPU histogram whose config ends in a cpu label: one histogram per CPU. */
HISTOGRAM_MAP(BPF_MAP_TYPE_PERCPU_HASH, per_cpu_exp2_seconds);

/* A single-entry array, a metric without labels, counted by the one program. */
EXEC_COUNTER(unlabelled_events_total, maps_exec)

char LICENSE[] SEC("license") = "GPL";
