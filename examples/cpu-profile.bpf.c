// SPDX-License-Identifier: GPL-2.0
/*
 * cpu-profile: where the kernel spends CPU time, as sampled kernel stacks (a flame graph's
 * input; the kstack decoder turns each stack into one `a;b;c` label).
 * Event: a software cpu-clock perf event on every CPU, 99 times a second
 * (PERF_TYPE_SOFTWARE = 1, PERF_COUNT_SW_CPU_CLOCK = 0; the section's type/config/frequency
 * tell the exporter which perf event to open, as the reference exporter does).
 * Samples taken in user mode have no kernel stack and are not counted.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

#define MAX_STACK_DEPTH 20

/*
 * Key of kernel_stack_samples_total: the YAML's single label, kstack, size 160
 * (MAX_STACK_DEPTH return addresses, innermost first, zero-filled after the last frame).
 */
struct stack_key {
    u64 kstack[MAX_STACK_DEPTH];
};

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 8192);
    __type(key, struct stack_key);
    __type(value, u64);
} kernel_stack_samples_total SEC(".maps");

SEC("perf_event/type=1,config=0,frequency=99")
int cpu_clock_sample(struct bpf_perf_event_data *ctx)
{
    struct stack_key key;

    __builtin_memset(&key, 0, sizeof(key));
    /* Flags 0: the kernel stack, nothing skipped (the perf event's own frames are not on it). */
    if (bpf_get_stack(ctx, key.kstack, sizeof(key.kstack), 0) <= 0)
        return 0;
    map_increment(&kernel_stack_samples_total, &key);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
