// SPDX-License-Identifier: GPL-2.0
/*
 * softirq-latency: how long softirqs wait between being raised and starting to run, how long
 * they run, and how often each kind runs on each CPU.
 * Kernel events (BTF-typed tracepoints): softirq_raise, softirq_entry, softirq_exit. A softirq
 * runs on the CPU that raised it, so per-CPU timestamps by vector pair the events up.
 * A softirq found pending without a raise seen since the exporter attached has no raise time:
 * it counts as run and in the service time, but not in the entry latency.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

/* bucket_max of both histograms in softirq-latency.yaml: 2^21 us is about 2 s. */
#define MAX_SLOT 21

/* The kernel's NR_SOFTIRQS (HI .. RCU). */
#define SOFTIRQ_KINDS 10

/*
 * Key of both histograms, laid out as the YAML labels:
 *   kind   size 4 padding 4  (softirq vector number, static_map decoder)
 *   bucket size 8            (exp2 slot; slot MAX_SLOT + 1 holds the sum in us)
 */
struct latency_key {
    u32 kind;
    u32 __pad;
    u64 bucket;
};

/* Raise and entry times (ns) of the softirq vectors on this CPU. */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, SOFTIRQ_KINDS);
    __type(key, u32);
    __type(value, u64);
} raised_at SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, SOFTIRQ_KINDS);
    __type(key, u32);
    __type(value, u64);
} entered_at SEC(".maps");

/* Per-CPU maps: the exporter sums the CPUs' values of each key. */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
    __uint(max_entries, SOFTIRQ_KINDS * (MAX_SLOT + 2));
    __type(key, struct latency_key);
    __type(value, u64);
} softirq_entry_latency_seconds SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
    __uint(max_entries, SOFTIRQ_KINDS * (MAX_SLOT + 2));
    __type(key, struct latency_key);
    __type(value, u64);
} softirq_service_seconds SEC(".maps");

/*
 * Key of softirqs_total: kind (u32, size 4). The YAML adds a last label `cpu` (size 2, uint):
 * the exporter's convention for per-CPU maps to export one series per CPU instead of the sum.
 */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
    __uint(max_entries, SOFTIRQ_KINDS);
    __type(key, u32);
    __type(value, u64);
} softirqs_total SEC(".maps");

SEC("tp_btf/softirq_raise")
int BPF_PROG(softirq_raise, unsigned int vec)
{
    u64 *ts = bpf_map_lookup_elem(&raised_at, &vec);

    /* Keep the first raise time until the softirq runs: later raises are absorbed by it. */
    if (ts && !*ts)
        *ts = bpf_ktime_get_ns();
    return 0;
}

SEC("tp_btf/softirq_entry")
int BPF_PROG(softirq_entry, unsigned int vec)
{
    u64 now = bpf_ktime_get_ns();
    u64 *raised = bpf_map_lookup_elem(&raised_at, &vec);
    u64 *entered = bpf_map_lookup_elem(&entered_at, &vec);
    struct latency_key key;

    if (!raised || !entered)
        return 0;
    *entered = now;
    map_increment(&softirqs_total, &vec);
    if (*raised) {
        __builtin_memset(&key, 0, sizeof(key));
        key.kind = vec;
        hist_exp2_record(&softirq_entry_latency_seconds, &key, &key.bucket,
                         (now - *raised) / 1000, MAX_SLOT);
        *raised = 0;
    }
    return 0;
}

SEC("tp_btf/softirq_exit")
int BPF_PROG(softirq_exit, unsigned int vec)
{
    u64 *entered = bpf_map_lookup_elem(&entered_at, &vec);
    struct latency_key key;

    if (!entered || !*entered)
        return 0;
    __builtin_memset(&key, 0, sizeof(key));
    key.kind = vec;
    hist_exp2_record(&softirq_service_seconds, &key, &key.bucket,
                     (bpf_ktime_get_ns() - *entered) / 1000, MAX_SLOT);
    *entered = 0;
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
