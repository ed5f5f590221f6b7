// SPDX-License-Identifier: GPL-2.0
/*
 * fentry: an fentry program next to a tracepoint. Where the kernel refuses fentry programs at
 * load time, the exporter loads the object without it and the tracepoint keeps counting.
 */
#include "exec_counter.bpf.h"

EXEC_COUNTER(fentry_execs_total, on_exec)

SEC("fentry/do_nanosleep")
int BPF_PROG(on_fentry) { return 0; }

char LICENSE[] SEC("license") = "GPL";
