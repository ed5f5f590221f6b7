// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup: how often tasks of each cgroup give up a CPU (context switches, voluntary or not),
 * a cheap activity signal per container or systemd unit.
 * Kernel event: sched_switch (BTF-typed tracepoint); the task switched out is still the
 * current task there, so its cgroup v2 id is the current cgroup id.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

/*
 * Key of cgroup_sched_switches_total: the YAML's single label, cgroup, size 8
 * (cgroup v2 id, i.e. the inode number of the cgroup's directory; cgroup decoder).
 */
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 8192);
    __type(key, u64);
    __type(value, u64);
} cgroup_sched_switches_total SEC(".maps");

SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
    u64 cgroup_id;

    /* The idle tasks belong to the root cgroup and would dominate it. */
    if (!prev->pid)
        return 0;
    cgroup_id = bpf_get_current_cgroup_id();
    map_increment(&cgroup_sched_switches_total, &cgroup_id);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
