// SPDX-License-Identifier: GPL-2.0
/*
 * kaddr: the exporter sets kaddr__stext (in .rodata) and kaddr__text (in .bss) from /proc/kallsyms
 * before loading; the uprobe on compat_marker copies their low 32 bits into counters.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "compat.bpf.h"

const volatile u64 kaddr__stext = 0;
u64 kaddr__text = 0;

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 2); __type(key, u32); __type(value, u64); }
    kaddr_low SEC(".maps");

SEC(UPROBE_MARKER)
int BPF_KPROBE(copy_kaddrs)
{
    u32 key = 0;
    u64 value = kaddr__stext & 0xffffffff;
    bpf_map_update_elem(&kaddr_low, &key, &value, BPF_ANY);
    key = 1;
    value = kaddr__text & 0xffffffff;
    bpf_map_update_elem(&kaddr_low, &key, &value, BPF_ANY);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
