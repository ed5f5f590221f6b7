// SPDX-License-Identifier: GPL-2.0
/*
 * pinned: counts scheduler switches (a counter) and the time between two switches on a CPU (an exp2
 * histogram of microseconds), for the tests of --bpf.pin-path and of reloads: switches happen all the
 * time, so both only ever grow while the program is attached. The time of each CPU's last switch is
 * state of one load of the program, which the exporter does not pin. pinned_wide.bpf.c builds the
 * same program with the counter's map defined differently (SWITCH_ENTRIES); reload_a.bpf.c and
 * reload_b.bpf.c with other map names (PREFIX), so that several configs can run it side by side.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

#ifndef PREFIX
#define PREFIX pinned
#endif
#define CONCAT2(a, b) a##b
#define CONCAT(a, b) CONCAT2(a, b)
#define NAME(suffix) CONCAT(PREFIX, suffix)

#ifndef SWITCH_ENTRIES
#define SWITCH_ENTRIES 1
#endif

/* bucket_max in the tests' YAML: 2^30 us is about 18 minutes. */
#define MAX_SLOT 30

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, SWITCH_ENTRIES);
    __type(key, u32);
    __type(value, u64);
} NAME(_switches_total) SEC(".maps");

/* Key: the exp2 slot (u64); slot MAX_SLOT + 1 holds the sum in us. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, MAX_SLOT + 2);
    __type(key, u64);
    __type(value, u64);
} NAME(_switch_gap_seconds) SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, u64);
} NAME(_last_switch) SEC(".maps");

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch)
{
    u32 zero = 0;
    u64 now = bpf_ktime_get_ns();
    u64 *last;
    u64 slot;

    map_increment(&NAME(_switches_total), &zero);
    last = bpf_map_lookup_elem(&NAME(_last_switch), &zero);
    if (!last)
        return 0;
    if (*last)
        hist_exp2_record(&NAME(_switch_gap_seconds), &slot, &slot, (now - *last) / 1000, MAX_SLOT);
    *last = now;
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
