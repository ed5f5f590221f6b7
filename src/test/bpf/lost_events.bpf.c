// SPDX-License-Identifier: GPL-2.0
/*
 * lost_events: each getpgid() call writes a burst no consumer can keep up with, since it is written
 * in one program run: 512 samples of 1 KiB to a perf buffer (the exporter's buffers hold 64 pages,
 * 256 KiB, per CPU) and 64 records of 1 KiB to a 16 KiB ring buffer that nobody reads. The kernel
 * reports the perf samples it drops; the ring buffer's failed reserves are counted by the program
 * in burst_ring_lost (events.bpf.h).
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "events.bpf.h"

#define SAMPLE_SIZE 1024

struct burst_sample {
    u64 kind;
    u8 pad[SAMPLE_SIZE - 8];
};

struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 1); __type(key, u32); __type(value, struct burst_sample); }
    scratch SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY); __uint(key_size, sizeof(u32)); __uint(value_size, sizeof(u32)); }
    burst_samples_total SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 16 * 1024); } burst_ring SEC(".maps");
RINGBUF_LOST_COUNTER(burst_ring);

SEC("tp/syscalls/sys_enter_getpgid")
int burst(void *ctx)
{
    u32 zero = 0;
    struct burst_sample *sample = bpf_map_lookup_elem(&scratch, &zero);

    if (!sample)
        return 0;
    sample->kind = 1;
    for (int i = 0; i < 512; i++)
        bpf_perf_event_output(ctx, &burst_samples_total, BPF_F_CURRENT_CPU, sample, sizeof(*sample));
    for (int i = 0; i < 64; i++) {
        struct burst_sample *record = ringbuf_reserve_or_count(burst_ring, sizeof(*record));

        if (!record)
            continue;
        record->kind = 2;
        bpf_ringbuf_submit(record, 0);
    }
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
