// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-retransmits: how many TCP segments get retransmitted, by address family and the
 * connection's TCP state (SYN_SENT retransmits are unanswered connection attempts,
 * ESTABLISHED ones are data lost or delayed on the way).
 * Kernel event: tcp_retransmit_skb (BTF-typed tracepoint), for every retransmitted segment.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

/*
 * Key of tcp_retransmits_total, laid out as the YAML labels:
 *   family size 2            (AF_INET 2, AF_INET6 10; static_map decoder)
 *   state  size 1 padding 1  (TCP state 1..13; static_map decoder)
 */
struct retransmit_key {
    u16 family;
    u8 state;
    u8 __pad;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64);
    __type(key, struct retransmit_key);
    __type(value, u64);
} tcp_retransmits_total SEC(".maps");

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(tcp_retransmit_skb, const struct sock *sk, const struct sk_buff *skb)
{
    struct retransmit_key key;

    __builtin_memset(&key, 0, sizeof(key));
    key.family = BPF_CORE_READ(sk, __sk_common.skc_family);
    key.state = BPF_CORE_READ(sk, __sk_common.skc_state);
    map_increment(&tcp_retransmits_total, &key);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
