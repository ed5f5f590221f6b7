// SPDX-License-Identifier: GPL-2.0
/*
 * fentry: an fentry program next to a tracepoint. Where the kernel refuses fentry programs at
 * load time, the exporter loads the object without it and the tracepoint keeps counting.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, u32); __type(value, u64); }
    fentry_execs_total SEC(".maps");

SEC("fentry/do_nanosleep")
int BPF_PROG(on_fentry) { return 0; }

SEC("tp/sched/sched_process_exec")
int on_exec(void *ctx)
{
    u32 zero = 0;
    map_increment(&fentry_execs_total, &zero);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
