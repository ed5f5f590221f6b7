// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup_ids: the two kinds of cgroup id map the exporter fills (cgroup_id_map), keyed by cgroup
 * id (hash) or by cgroup (cgrp_storage); programs would use them to filter by cgroup.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 1024); __type(key, u64); __type(value, u64); }
    cgroup_id_map SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_CGRP_STORAGE); __uint(map_flags, BPF_F_NO_PREALLOC); __type(key, int); __type(value, u64); }
    cgroup_storage_map SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 1024); __type(key, u64); __type(value, u64); }
    matched_execs_total SEC(".maps");

SEC("tp/sched/sched_process_exec")
int on_exec(void *ctx)
{
    u64 id = bpf_get_current_cgroup_id();
    u64 one = 1, *count;

    if (!bpf_map_lookup_elem(&cgroup_id_map, &id))
        return 0;
    count = bpf_map_lookup_elem(&matched_execs_total, &id);
    if (count)
        __sync_fetch_and_add(count, 1);
    else
        bpf_map_update_elem(&matched_execs_total, &id, &one, BPF_NOEXIST);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
