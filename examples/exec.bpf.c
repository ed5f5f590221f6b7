// SPDX-License-Identifier: GPL-2.0
/*
 * exec: which programs get started, counted by command name.
 * Kernel event: sched_process_exec (BTF-typed tracepoint), after a successful execve(), when
 * the task's comm already holds the new program's name (first 15 bytes of its file name).
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

#define TASK_COMM_LEN 16

/* Key of execs_total: the YAML's single label, command, size 16 (NUL-padded comm). */
struct exec_key {
    char command[TASK_COMM_LEN];
};

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 4096);
    __type(key, struct exec_key);
    __type(value, u64);
} execs_total SEC(".maps");

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_process_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
    struct exec_key key;

    __builtin_memset(&key, 0, sizeof(key));
    /* p is the current task here. */
    bpf_get_current_comm(key.command, sizeof(key.command));
    map_increment(&execs_total, &key);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
