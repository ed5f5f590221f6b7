// SPDX-License-Identifier: GPL-2.0
/*
 * attach: one program per attach kind, each counting its hits under its own key of
 * attach_hits_total. compat_target fires the uprobe, uretprobe and USDT programs (and exec);
 * loopback traffic fires xdp/lo.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>
#include "maps.bpf.h"
#include "compat.bpf.h"

enum kind { TP = 1, RAW_TP = 2, TP_BTF = 3, UPROBE = 4, URETPROBE = 5, USDT = 6, XDP = 7 };

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, u32); __type(value, u64); }
    attach_hits_total SEC(".maps");

static __always_inline void hit(u32 kind)
{
    map_increment(&attach_hits_total, &kind);
}

SEC("tp/sched/sched_process_exec")
int on_tp(void *ctx) { hit(TP); return 0; }

SEC("raw_tp/sched_process_exec")
int on_raw_tp(void *ctx) { hit(RAW_TP); return 0; }

SEC("tp_btf/sched_process_exec")
int on_tp_btf(void *ctx) { hit(TP_BTF); return 0; }

SEC(UPROBE_MARKER)
int BPF_KPROBE(on_uprobe, unsigned long value) { hit(UPROBE); return 0; }

SEC(URETPROBE_MARKER)
int BPF_KRETPROBE(on_uretprobe, unsigned long ret) { hit(URETPROBE); return 0; }

SEC(USDT_MARKER)
int BPF_USDT(on_usdt, unsigned long value) { hit(USDT); return 0; }

SEC("xdp/lo")
int on_xdp(struct xdp_md *ctx) { hit(XDP); return XDP_PASS; }

char LICENSE[] SEC("license") = "GPL";
