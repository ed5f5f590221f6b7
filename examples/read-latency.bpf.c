// SPDX-License-Identifier: GPL-2.0
/*
 * read-latency: how long read() and write() system calls take, by process name (a
 * filesystem-agnostic stand-in for ext4slower-style tools: it includes page cache hits, pipes
 * and sockets, whatever the file descriptor is).
 * Kernel events: the raw sys_enter and sys_exit tracepoints, filtered on the read and write
 * syscall numbers; the time from entry to exit goes into exp2 histograms of microseconds.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

#if defined(__TARGET_ARCH_x86)
#define NR_READ 0
#define NR_WRITE 1
#elif defined(__TARGET_ARCH_arm64)
#define NR_READ 63
#define NR_WRITE 64
#else
#error "read-latency: set the read/write syscall numbers for this architecture"
#endif

/* bucket_max of both histograms in read-latency.yaml: 2^27 us is about 134 s. */
#define MAX_SLOT 27

#define TASK_COMM_LEN 16

/*
 * Key of read_latency_seconds and write_latency_seconds, laid out as the YAML labels:
 *   command size 16  (NUL-padded comm, string decoder)
 *   bucket  size 8   (exp2 slot; slot MAX_SLOT + 1 holds the sum in us)
 */
struct latency_key {
    char command[TASK_COMM_LEN];
    u64 bucket;
};

struct in_flight {
    u64 start_ns;
    u64 nr;
};

/* The read or write each thread is in, by thread id. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16384);
    __type(key, u32);
    __type(value, struct in_flight);
} in_syscall SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 8192);
    __type(key, struct latency_key);
    __type(value, u64);
} read_latency_seconds SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 8192);
    __type(key, struct latency_key);
    __type(value, u64);
} write_latency_seconds SEC(".maps");

/* raw_tp/sys_enter arguments: args[0] is struct pt_regs *, args[1] the syscall number. */
SEC("raw_tp/sys_enter")
int sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
    u64 nr = ctx->args[1];
    u32 tid = (u32)bpf_get_current_pid_tgid();
    struct in_flight call;

    if (nr != NR_READ && nr != NR_WRITE)
        return 0;
    call.start_ns = bpf_ktime_get_ns();
    call.nr = nr;
    bpf_map_update_elem(&in_syscall, &tid, &call, BPF_ANY);
    return 0;
}

/* A thread is in one syscall at a time: its next exit is the exit of the tracked call. */
SEC("raw_tp/sys_exit")
int sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
    u32 tid = (u32)bpf_get_current_pid_tgid();
    struct in_flight *call = bpf_map_lookup_elem(&in_syscall, &tid);
    struct latency_key key;
    u64 delta_us;
    void *map;

    if (!call)
        return 0;
    delta_us = (bpf_ktime_get_ns() - call->start_ns) / 1000;
    map = call->nr == NR_READ ? (void *)&read_latency_seconds : (void *)&write_latency_seconds;
    bpf_map_delete_elem(&in_syscall, &tid);

    __builtin_memset(&key, 0, sizeof(key));
    bpf_get_current_comm(key.command, sizeof(key.command));
    hist_exp2_record(map, &key, &key.bucket, delta_us, MAX_SLOT);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
