// SPDX-License-Identifier: GPL-2.0
/*
 * missing_function: a kprobe on a function no kernel has, next to a tracepoint. It never
 * attaches, with or without kprobes, so the tests built on it hold on every kernel.
 */
#include "exec_counter.bpf.h"

EXEC_COUNTER(missing_function_execs_total, on_exec)

SEC("kprobe/ebpf_exporter_no_such_function")
int BPF_KPROBE(on_missing_function) { return 0; }

char LICENSE[] SEC("license") = "GPL";
