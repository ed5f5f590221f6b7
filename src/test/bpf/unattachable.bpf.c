// SPDX-License-Identifier: GPL-2.0
/*
 * unattachable: a kprobe next to a tracepoint. Where the kernel has no kprobes the kprobe does
 * not attach; the tracepoint must keep counting.
 */
#include "exec_counter.bpf.h"

EXEC_COUNTER(execs_total, on_exec)

SEC("kprobe/do_nanosleep")
int BPF_KPROBE(on_kprobe) { return 0; }

char LICENSE[] SEC("license") = "GPL";
