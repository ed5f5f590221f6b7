// SPDX-License-Identifier: GPL-2.0
/*
 * never_attaches: a uprobe on a file that does not exist loads on every kernel and attaches on
 * none, beside a tracepoint that attaches. For --config.strict and --config.check.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, u32); __type(value, u64); }
    attached_execs_total SEC(".maps");

SEC("uprobe//nonexistent/ebpf-exporter-test-binary:missing_function")
int BPF_KPROBE(on_missing) { return 0; }

SEC("tp/sched/sched_process_exec")
int on_exec_attached(void *ctx)
{
    u32 zero = 0;
    map_increment(&attached_execs_total, &zero);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
