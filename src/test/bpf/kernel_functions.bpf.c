// SPDX-License-Identifier: GPL-2.0
/*
 * kernel_functions: one program per way of tracing a kernel function, all on unlinking a file
 * (vfs_unlink, which 5.10 to 7.2 all have, unlike do_unlinkat, gone in 7.2; and the inode_unlink
 * LSM hook), each counting its hits under its own key of
 * kernel_function_hits_total. Where the kernel refuses a kind at load (fentry, lsm without
 * lsm=bpf) the exporter loads the others; where it cannot attach one (no kprobes, no fprobe for
 * kprobe.multi) that program is reported as not attached.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

enum kind { KPROBE = 1, KRETPROBE = 2, FENTRY = 3, FEXIT = 4, KPROBE_MULTI = 5, LSM = 6 };

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, u32); __type(value, u64); }
    kernel_function_hits_total SEC(".maps");

static __always_inline void hit(u32 kind)
{
    map_increment(&kernel_function_hits_total, &kind);
}

SEC("kprobe/vfs_unlink")
int BPF_KPROBE(on_kprobe) { hit(KPROBE); return 0; }

SEC("kretprobe/vfs_unlink")
int BPF_KRETPROBE(on_kretprobe) { hit(KRETPROBE); return 0; }

SEC("fentry/vfs_unlink")
int BPF_PROG(on_fentry) { hit(FENTRY); return 0; }

SEC("fexit/vfs_unlink")
int BPF_PROG(on_fexit) { hit(FEXIT); return 0; }

SEC("kprobe.multi/vfs_unlink")
int BPF_KPROBE(on_kprobe_multi) { hit(KPROBE_MULTI); return 0; }

SEC("lsm/inode_unlink")
int BPF_PROG(on_lsm, struct inode *dir, struct dentry *dentry) { hit(LSM); return 0; }

char LICENSE[] SEC("license") = "GPL";
