// SPDX-License-Identifier: GPL-2.0
/*
 * runqlat: how long runnable tasks wait on a CPU's run queue before they get to run.
 * Kernel events (BTF-typed tracepoints): sched_wakeup and sched_wakeup_new mark a task
 * runnable; sched_switch marks a preempted task runnable again (prev) and a task starting to
 * run (next), whose wait since it became runnable goes into an exp2 histogram of microseconds.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

/* bucket_max in runqlat.yaml: 2^26 us is about 67 s. */
#define MAX_SLOT 26

/* prev_state of a task switched out while still runnable (preempted). */
#define TASK_RUNNING 0

/* When each runnable task (by thread id) was put on a run queue, in ns. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 32768);
    __type(key, u32);
    __type(value, u64);
} runnable_since SEC(".maps");

/*
 * Key of run_queue_latency_seconds: the YAML's single label, bucket, size 8
 * (exp2 slot; slot MAX_SLOT + 1 holds the sum in us).
 */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, MAX_SLOT + 2);
    __type(key, u64);
    __type(value, u64);
} run_queue_latency_seconds SEC(".maps");

static __always_inline void mark_runnable(struct task_struct *p)
{
    u32 tid = p->pid;
    u64 now;

    /* The idle tasks (pid 0, one per CPU) never wait. */
    if (!tid)
        return;
    now = bpf_ktime_get_ns();
    bpf_map_update_elem(&runnable_since, &tid, &now, BPF_ANY);
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(sched_wakeup, struct task_struct *p)
{
    mark_runnable(p);
    return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(sched_wakeup_new, struct task_struct *p)
{
    mark_runnable(p);
    return 0;
}

/* The task's state field before 5.14 (since: __state). */
struct task_struct___state {
    long state;
} __attribute__((preserve_access_index));

/*
 * sched_switch passes prev's state as a fourth argument since 5.18; the CO-RE "type exists" check
 * of this typedef holds only where the kernel's tracepoint has this very prototype (libbpf compares
 * the parameters of function prototypes). Before, the state is read from the task.
 */
typedef void (*btf_trace_sched_switch___with_prev_state)(void *, bool, struct task_struct *,
                                                         struct task_struct *, unsigned int);

static __always_inline long prev_state(unsigned long long *ctx, struct task_struct *prev)
{
    if (bpf_core_type_exists(btf_trace_sched_switch___with_prev_state))
        return (unsigned int)ctx[3];
    if (bpf_core_field_exists(prev->__state))
        return BPF_CORE_READ(prev, __state);
    return BPF_CORE_READ((struct task_struct___state *)prev, state);
}

/* Not BPF_PROG: the fourth argument exists only on some kernels (prev_state). */
SEC("tp_btf/sched_switch")
int sched_switch(unsigned long long *ctx)
{
    struct task_struct *prev = (struct task_struct *)ctx[1];
    struct task_struct *next = (struct task_struct *)ctx[2];
    u32 tid = next->pid;
    u64 *since, delta_us, bucket = 0;

    if (prev_state(ctx, prev) == TASK_RUNNING)
        mark_runnable(prev);

    since = bpf_map_lookup_elem(&runnable_since, &tid);
    if (!since)
        return 0;
    delta_us = (bpf_ktime_get_ns() - *since) / 1000;
    bpf_map_delete_elem(&runnable_since, &tid);

    hist_exp2_record(&run_queue_latency_seconds, &bucket, &bucket, delta_us, MAX_SLOT);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
