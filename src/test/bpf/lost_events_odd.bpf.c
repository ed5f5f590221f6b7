// SPDX-License-Identifier: GPL-2.0
/* lost_events_odd: a ring buffer whose companion "_lost" map has the wrong shape (a hash), which the exporter refuses. */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>

struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); } odd_ring SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 4); __type(key, u64); __type(value, u64); }
    odd_ring_lost SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, u32); __type(value, u64); }
    odd_calls_total SEC(".maps");

SEC("tp/syscalls/sys_enter_getpgid")
int odd(void *ctx)
{
    u64 one = 1, *lost = bpf_map_lookup_elem(&odd_ring_lost, &one);
    u32 zero = 0;
    u64 *calls = bpf_map_lookup_elem(&odd_calls_total, &zero);

    if (calls)
        __sync_fetch_and_add(calls, 1);
    if (lost)
        bpf_ringbuf_output(&odd_ring, lost, sizeof(*lost), 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
