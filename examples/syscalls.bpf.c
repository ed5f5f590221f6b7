// SPDX-License-Identifier: GPL-2.0
/*
 * syscalls: how many system calls the machine makes, by syscall.
 * Kernel event: the raw sys_enter tracepoint, on entry to every system call.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

/* Larger than any syscall number of the supported architectures. */
#define MAX_SYSCALLS 1024

/*
 * Key of syscalls_total: the YAML's single label, syscall, size 8 (syscall number as u64). Per-CPU:
 * every system call of the machine lands here, and a counter of its own per CPU needs no atomic add
 * and no cache line moving between CPUs (the exporter sums the CPUs' values).
 */
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
    __uint(max_entries, MAX_SYSCALLS);
    __type(key, u64);
    __type(value, u64);
} syscalls_total SEC(".maps");

/* raw_tp/sys_enter arguments: args[0] is struct pt_regs *, args[1] the syscall number. */
SEC("raw_tp/sys_enter")
int sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
    u64 id = ctx->args[1];

    /* -1 is how the kernel reports a syscall number it rejected (e.g. by seccomp). */
    if (id >= MAX_SYSCALLS)
        return 0;
    percpu_map_increment(&syscalls_total, &id);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
