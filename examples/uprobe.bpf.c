// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe: how often processes resolve host names through libc, by process name.
 * Event: a uprobe on the entry of getaddrinfo() in libc.so.6, in every process that maps it
 * (libbpf resolves libc.so.6 through the library search path when attaching).
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

#define TASK_COMM_LEN 16

/* Key of libc_getaddrinfo_calls_total: the YAML's single label, command, size 16 (comm). */
struct call_key {
    char command[TASK_COMM_LEN];
};

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 4096);
    __type(key, struct call_key);
    __type(value, u64);
} libc_getaddrinfo_calls_total SEC(".maps");

SEC("uprobe/libc.so.6:getaddrinfo")
int BPF_KPROBE(uprobe_getaddrinfo)
{
    struct call_key key;

    __builtin_memset(&key, 0, sizeof(key));
    bpf_get_current_comm(key.command, sizeof(key.command));
    map_increment(&libc_getaddrinfo_calls_total, &key);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
