// SPDX-License-Identifier: GPL-2.0
/*
 * unattachable: a kprobe next to a tracepoint. Where the kernel has no kprobes the kprobe does
 * not attach; the tracepoint must keep counting.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, u32); __type(value, u64); }
    execs_total SEC(".maps");

SEC("kprobe/do_nanosleep")
int BPF_KPROBE(on_kprobe) { return 0; }

SEC("tp/sched/sched_process_exec")
int on_exec(void *ctx)
{
    u32 zero = 0;
    map_increment(&execs_total, &zero);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
