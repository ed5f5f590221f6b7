// SPDX-License-Identifier: GPL-2.0
/*
 * timers: how often each kernel timer is armed, by the timer's callback function.
 * Kernel event: the timer_start tracepoint (BTF-typed), fired by add_timer/mod_timer.
 * Map key: the callback's address (u64), which the exporter's ksym decoder turns into a name.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, u64);
    __type(value, u64);
} timer_starts_total SEC(".maps");

SEC("tp_btf/timer_start")
int BPF_PROG(timer_start, struct timer_list *timer)
{
    u64 function = (u64)timer->function;

    map_increment(&timer_starts_total, &function);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
