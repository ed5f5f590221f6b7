// SPDX-License-Identifier: GPL-2.0
/*
 * tcp-connect: outgoing TCP connection attempts, by address family. Kernel events: kprobes on
 * tcp_v4_connect and tcp_v6_connect, which every connect() on a TCP socket goes through
 * (IPv4-mapped addresses on an IPv6 socket reach tcp_v4_connect through tcp_v6_connect, and
 * count once for each). Needs a kernel with kprobes (CONFIG_KPROBES).
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

/* The socket address families, as in sys/socket.h: the label's static_map names them. */
#define FAMILY_INET 2
#define FAMILY_INET6 10

/* Key of tcp_connect_attempts_total: the YAML's single label, family, size 4. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4);
    __type(key, u32);
    __type(value, u64);
} tcp_connect_attempts_total SEC(".maps");

SEC("kprobe/tcp_v4_connect")
int BPF_KPROBE(tcp_v4_connect)
{
    u32 family = FAMILY_INET;

    map_increment(&tcp_connect_attempts_total, &family);
    return 0;
}

SEC("kprobe/tcp_v6_connect")
int BPF_KPROBE(tcp_v6_connect)
{
    u32 family = FAMILY_INET6;

    map_increment(&tcp_connect_attempts_total, &family);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
