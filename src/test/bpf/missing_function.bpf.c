// SPDX-License-Identifier: GPL-2.0
/*
 * missing_function: a kprobe on a function no kernel has, next to a tracepoint. It never
 * attaches, with or without kprobes, so the tests built on it hold on every kernel.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, u32); __type(value, u64); }
    missing_function_execs_total SEC(".maps");

SEC("kprobe/ebpf_exporter_no_such_function")
int BPF_KPROBE(on_missing_function) { return 0; }

SEC("tp/sched/sched_process_exec")
int on_exec(void *ctx)
{
    u32 zero = 0;
    map_increment(&missing_function_execs_total, &zero);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
