// SPDX-License-Identifier: GPL-2.0
/*
 * refused_two: two programs the verifier refuses (each dereferences a number as a pointer) beside
 * a tracepoint that loads. libbpf stops at the first refused program, so loading the rest takes
 * one retry per refused program.
 */
#include "exec_counter.bpf.h"

EXEC_COUNTER(survivor_execs_total, survivor)

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

char LICENSE[] SEC("license") = "GPL";
