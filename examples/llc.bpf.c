// SPDX-License-Identifier: GPL-2.0
/*
 * llc: last-level cache references and misses by CPU, from hardware performance counters
 * (miss ratio = misses / references). Needs a CPU PMU: on virtual machines without one the
 * perf events cannot be opened and the programs stay unattached.
 * Events: hardware perf events PERF_COUNT_HW_CACHE_REFERENCES (type 0, config 2) and
 * PERF_COUNT_HW_CACHE_MISSES (type 0, config 3), each sampled 99 times a second on every CPU;
 * every sample adds the number of events since the previous one (its sample period).
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

#define MAX_CPUS 1024

/* Key of both counters: the YAML's single label, cpu, size 4 (CPU number as u32). */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, MAX_CPUS);
    __type(key, u32);
    __type(value, u64);
} llc_references_total SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, MAX_CPUS);
    __type(key, u32);
    __type(value, u64);
} llc_misses_total SEC(".maps");

static __always_inline void count_sample(void *map, struct bpf_perf_event_data *ctx)
{
    u32 cpu = bpf_get_smp_processor_id();

    map_add(map, &cpu, ctx->sample_period);
}

SEC("perf_event/type=0,config=2,frequency=99")
int llc_reference_sample(struct bpf_perf_event_data *ctx)
{
    count_sample(&llc_references_total, ctx);
    return 0;
}

SEC("perf_event/type=0,config=3,frequency=99")
int llc_miss_sample(struct bpf_perf_event_data *ctx)
{
    count_sample(&llc_misses_total, ctx);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
