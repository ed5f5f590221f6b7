// SPDX-License-Identifier: GPL-2.0
/*
 * post_attach_mark: a program on the reference's hook SEC("uprobe//proc/self/exe:post_attach_mark"),
 * which the exporter calls once after attaching every config; it counts its runs, so a scrape right
 * after start shows 1 (as the reference's bpf-jit example initialises its gauge from there).
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "maps.bpf.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, u64);
} post_attach_marks_total SEC(".maps");

SEC("uprobe//proc/self/exe:post_attach_mark")
int on_post_attach_mark(void *ctx)
{
    u32 zero = 0;

    map_increment(&post_attach_marks_total, &zero);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
