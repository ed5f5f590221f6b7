// SPDX-License-Identifier: GPL-2.0
/*
 * never_attaches: a uprobe on a file that does not exist loads on every kernel and attaches on
 * none, beside a tracepoint that attaches. For --config.strict and --config.check.
 */
#include "exec_counter.bpf.h"

EXEC_COUNTER(attached_execs_total, on_exec_attached)

SEC("uprobe//nonexistent/ebpf-exporter-test-binary:missing_function")
int BPF_KPROBE(on_missing) { return 0; }

char LICENSE[] SEC("license") = "GPL";
