// SPDX-License-Identifier: GPL-2.0
/*
 * unresolved_extern: calls a function that is neither a BPF helper nor a kernel function declared
 * __ksym, as a memcmp clang does not inline becomes. libbpf finds no BTF for the extern and refuses to
 * open the object with ENOENT ("No such file or directory") although the file is there.
 */
#include "exec_counter.bpf.h"

extern int ebpf_exporter_no_such_extern(int value);

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, u64);
} extern_calls_total SEC(".maps");

SEC("tp/sched/sched_process_exec")
int on_exec(void *ctx)
{
    u32 zero = 0;

    if (ebpf_exporter_no_such_extern(1))
        map_increment(&extern_calls_total, &zero);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
