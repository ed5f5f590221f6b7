// SPDX-License-Identifier: GPL-2.0
/*
 * oomkill: which processes the out-of-memory killer picks, by command name.
 * Kernel event: mark_victim (BTF-typed tracepoint), when the OOM killer (global or in a memory
 * cgroup) has chosen a victim. Each kill is sent to the exporter as one perf buffer event
 * whose bytes are the metric's key; the exporter counts events per decoded label set. On kernels
 * whose mark_victim passes only a pid (5.10 here) the command is the victim's when the victim
 * itself ran into the limit, else empty (see mark_victim below).
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

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

/*
 * mark_victim passes only the victim's pid on older kernels (5.10 here), the victim's task on newer
 * ones. The CO-RE "type exists" check of this typedef holds only where the kernel's tracepoint has
 * this very prototype (libbpf compares the parameters of function prototypes).
 */
typedef void (*btf_trace_mark_victim___pid)(void *, int);

/* Not BPF_PROG: the first argument is a task or a pid, by kernel. */
SEC("tp_btf/mark_victim")
int mark_victim(unsigned long long *ctx)
{
    struct oom_event event;

    __builtin_memset(&event, 0, sizeof(event));
    if (bpf_core_type_exists(btf_trace_mark_victim___pid)) {
        /*
         * Only the pid: the command is known when the victim is the task that ran into the limit
         * (the usual case in a memory cgroup); otherwise it stays empty.
         */
        struct task_struct *current = (struct task_struct *)bpf_get_current_task();

        if (BPF_CORE_READ(current, pid) == (int)ctx[0])
            bpf_get_current_comm(event.command, sizeof(event.command));
    } else {
        struct task_struct *victim = (struct task_struct *)ctx[0];

        /* The victim is usually not the current task: read its comm. */
        bpf_probe_read_kernel_str(event.command, sizeof(event.command), victim->comm);
    }
    bpf_perf_event_output(ctx, &oom_kills_total, BPF_F_CURRENT_CPU, &event, sizeof(event));
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
