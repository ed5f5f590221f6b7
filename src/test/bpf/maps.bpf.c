// SPDX-License-Identifier: GPL-2.0
/*
 * maps: one map per kind the exporter reads (hash, array, per-CPU hash and array, LRU hash), a
 * multi-value counter and histograms of every bucket type. The tests fill the maps from user
 * space and assert the exact exposition; the one program only gives the object something to load.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "maps.bpf.h"

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
/* A single-entry array: a metric without labels. */
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, u32); __type(value, u64); }
    unlabelled_events_total SEC(".maps");

/* Multi-value counter (the reference's complex-value example): two u64s per key. */
struct rq_completion { u64 count; u64 bytes; };
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 64); __type(key, u32); __type(value, struct rq_completion); }
    completions SEC(".maps");

/* Histograms: key {u32 op; u32 bucket}. */
struct hist_key { u32 op; u32 bucket; };
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 256); __type(key, struct hist_key); __type(value, u64); }
    exp2_seconds SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 256); __type(key, struct hist_key); __type(value, u64); }
    exp2zero_bytes SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 256); __type(key, struct hist_key); __type(value, u64); }
    linear_items SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 256); __type(key, struct hist_key); __type(value, u64); }
    fixed_sizes SEC(".maps");
/* A per-CPU histogram: buckets summed over CPUs. */
struct { __uint(type, BPF_MAP_TYPE_PERCPU_HASH); __uint(max_entries, 256); __type(key, struct hist_key); __type(value, u64); }
    percpu_exp2_seconds SEC(".maps");
/* A per-CPU histogram whose config ends in a cpu label: one histogram per CPU. */
struct { __uint(type, BPF_MAP_TYPE_PERCPU_HASH); __uint(max_entries, 256); __type(key, struct hist_key); __type(value, u64); }
    per_cpu_exp2_seconds SEC(".maps");

SEC("tp/sched/sched_process_exec")
int maps_exec(void *ctx)
{
    u32 zero = 0;
    map_increment(&unlabelled_events_total, &zero);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
