// SPDX-License-Identifier: GPL-2.0
/*
 * missing_target: an fentry program on a function no kernel has, beside a tracepoint. libbpf looks the
 * function up in the kernel's BTF while loading and fails with ESRCH ("No such process").
 */
#include "exec_counter.bpf.h"

EXEC_COUNTER(missing_target_execs_total, on_exec)

SEC("fentry/ebpf_exporter_no_such_function")
int BPF_PROG(on_missing_target) { return 0; }

char LICENSE[] SEC("license") = "GPL";
