// SPDX-License-Identifier: GPL-2.0
/*
 * usdt_missing: a USDT program on a probe compat_target does not have (it has compat:marker), beside a
 * tracepoint, and one on a file that is no ELF binary. Neither attaches; each error says why.
 */
#include "exec_counter.bpf.h"
#include <bpf/usdt.bpf.h>
#include "compat.bpf.h"

EXEC_COUNTER(usdt_missing_execs_total, on_exec)

SEC("usdt/" TARGET_PATH ":compat:no_such_probe")
int BPF_USDT(on_missing_usdt, unsigned long value) { return 0; }

/* Not an ELF file at all: libbpf refuses it with EBADF and says why only in its log. */
SEC("usdt//proc/self/status:compat:marker")
int BPF_USDT(on_not_elf, unsigned long value) { return 0; }

char LICENSE[] SEC("license") = "GPL";
