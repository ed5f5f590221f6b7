// SPDX-License-Identifier: GPL-2.0
/*
 * refused_two: two programs the verifier refuses (each dereferences a number as a pointer) beside
 * a tracepoint that loads. libbpf stops at the first refused program, so loading the rest takes
 * one retry per refused program.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "maps.bpf.h"

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, u32); __type(value, u64); }
    survivor_execs_total SEC(".maps");

SEC("tp/sched/sched_process_exec")
int refused_first(void *ctx)
{
    u64 *p = (u64 *)(long)bpf_get_prandom_u32();
    return *p;
}

SEC("tp/sched/sched_process_exec")
int refused_second(void *ctx)
{
    u32 *p = (u32 *)(long)bpf_get_prandom_u32();
    return *p;
}

SEC("tp/sched/sched_process_exec")
int survivor(void *ctx)
{
    u32 zero = 0;
    map_increment(&survivor_execs_total, &zero);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
