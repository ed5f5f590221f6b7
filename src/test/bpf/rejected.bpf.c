// SPDX-License-Identifier: GPL-2.0
/* rejected: the verifier refuses this program (it dereferences a number as a pointer). */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, u32); __type(value, u64); }
    rejected_total SEC(".maps");

SEC("tp/sched/sched_process_exec")
int deref_scalar(void *ctx)
{
    u64 *p = (u64 *)(long)bpf_get_prandom_u32();
    return *p;
}

char LICENSE[] SEC("license") = "GPL";
