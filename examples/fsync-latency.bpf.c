// SPDX-License-Identifier: GPL-2.0
/*
 * fsync-latency: how long fsync() and fdatasync() take, from vfs_fsync_range, which both go
 * through. Kernel events: fentry/fexit on vfs_fsync_range where the kernel allows tracing
 * programs (BTF trampolines), and a kprobe/kretprobe pair on the same function as the fallback
 * where it does not. The object carries both; the exporter attaches whatever the kernel takes.
 *
 * Where both pairs attach, the fentry pair counts and the kprobe pair stands down: the fentry
 * program sets fentry_works before the function runs, so by the time the kretprobe of the same
 * call fires it sees the flag, and no call is counted twice. Needs fentry (CONFIG_FUNCTION_TRACER
 * and BTF) or kprobes (CONFIG_KPROBES).
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

/* bucket_max in fsync-latency.yaml: 2^26 us is about 67 s. */
#define MAX_SLOT 26

/* Set once the fentry program has run: from then on the kprobe pair leaves the counting to it. */
volatile bool fentry_works = false;

/* When the calls in flight (by thread id) entered vfs_fsync_range, in ns; one map per pair. */
struct start_map {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 8192);
    __type(key, u32);
    __type(value, u64);
};
struct start_map fentry_start SEC(".maps");
struct start_map kprobe_start SEC(".maps");

/*
 * Key of fsync_latency_seconds: the YAML's single label, bucket, size 8
 * (exp2 slot; slot MAX_SLOT + 1 holds the sum in us).
 */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, MAX_SLOT + 2);
    __type(key, u64);
    __type(value, u64);
} fsync_latency_seconds SEC(".maps");

static __always_inline void enter(void *starts)
{
    u32 tid = (u32)bpf_get_current_pid_tgid();
    u64 now = bpf_ktime_get_ns();

    bpf_map_update_elem(starts, &tid, &now, BPF_ANY);
}

static __always_inline void leave(void *starts)
{
    u32 tid = (u32)bpf_get_current_pid_tgid();
    u64 *since, delta_us, bucket = 0;

    since = bpf_map_lookup_elem(starts, &tid);
    if (!since)
        return;
    delta_us = (bpf_ktime_get_ns() - *since) / 1000;
    bpf_map_delete_elem(starts, &tid);
    hist_exp2_record(&fsync_latency_seconds, &bucket, &bucket, delta_us, MAX_SLOT);
}

SEC("fentry/vfs_fsync_range")
int BPF_PROG(fsync_fentry)
{
    fentry_works = true;
    enter(&fentry_start);
    return 0;
}

SEC("fexit/vfs_fsync_range")
int BPF_PROG(fsync_fexit)
{
    leave(&fentry_start);
    return 0;
}

SEC("kprobe/vfs_fsync_range")
int BPF_KPROBE(fsync_kprobe)
{
    if (!fentry_works)
        enter(&kprobe_start);
    return 0;
}

SEC("kretprobe/vfs_fsync_range")
int BPF_KRETPROBE(fsync_kretprobe)
{
    if (fentry_works) {
        u32 tid = (u32)bpf_get_current_pid_tgid();

        /* A call that entered before fentry took over: forget its start, count it nowhere. */
        bpf_map_delete_elem(&kprobe_start, &tid);
        return 0;
    }
    leave(&kprobe_start);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
