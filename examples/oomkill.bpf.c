// SPDX-License-Identifier: GPL-2.0
/*
 * oomkill: which processes the out-of-memory killer picks, by command name.
 * Kernel event: mark_victim (BTF-typed tracepoint), when the OOM killer (global or in a memory
 * cgroup) has chosen a victim. Each kill is sent to the exporter as one perf buffer event
 * whose bytes are the metric's key; the exporter counts events per decoded label set.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define TASK_COMM_LEN 16

/* The event, laid out as the YAML labels: command size 16 (victim's NUL-padded comm). */
struct oom_event {
    char command[TASK_COMM_LEN];
};

/* perf_event_array: true in the YAML; the map carries events, not counts. */
struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __uint(key_size, sizeof(u32));
    __uint(value_size, sizeof(u32));
} oom_kills_total SEC(".maps");

SEC("tp_btf/mark_victim")
int BPF_PROG(mark_victim, struct task_struct *victim, uid_t uid)
{
    struct oom_event event;

    __builtin_memset(&event, 0, sizeof(event));
    /* The victim is usually not the current task: read its comm. */
    bpf_probe_read_kernel_str(event.command, sizeof(event.command), victim->comm);
    bpf_perf_event_output(ctx, &oom_kills_total, BPF_F_CURRENT_CPU, &event, sizeof(event));
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
