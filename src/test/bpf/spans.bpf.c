// SPDX-License-Identifier: GPL-2.0
/*
 * spans: every compat_marker(value) call becomes a span event in the ring buffer, laid out as the
 * reference's tracing examples are: trace id, parent span id, span id, start (CLOCK_MONOTONIC ns),
 * duration, name, then one more label. Ids are derived from the value so the tests can expect them.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "compat.bpf.h"
#include "events.bpf.h"

struct span_event {
    u8 trace_id[16];
    u64 parent_span_id;
    u64 span_id;
    u64 start_ns;
    u64 duration_ns;
    char name[16];
    u64 value;
};

struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 256 * 1024); } marker_spans SEC(".maps");
/* Records that did not fit, exported as ebpf_exporter_events_lost_total{map="marker_spans"}. */
RINGBUF_LOST_COUNTER(marker_spans);

/* A counter too, so the config has a metric beside its spans. */
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, u32); __type(value, u64); }
    marker_calls_total SEC(".maps");

SEC(UPROBE_MARKER)
int BPF_KPROBE(marker_span, unsigned long value)
{
    struct span_event *event = ringbuf_reserve_or_count(marker_spans, sizeof(*event));
    u32 zero = 0;
    u64 *calls = bpf_map_lookup_elem(&marker_calls_total, &zero);

    if (calls)
        __sync_fetch_and_add(calls, 1);
    if (!event)
        return 0;
    __builtin_memset(event, 0, sizeof(*event));
    event->trace_id[0] = 0xab;
    event->trace_id[15] = (u8)value;
    /* value 1 is the root (parent id 0); later values are children of span 1 */
    event->parent_span_id = value == 1 ? 0 : __builtin_bswap64(0x1000 + 1);
    event->span_id = __builtin_bswap64(0x1000 + value);
    event->start_ns = bpf_ktime_get_ns() - 2000000;
    event->duration_ns = 1000000 * value;
    __builtin_memcpy(event->name, "marker", 7);
    event->value = value;
    bpf_ringbuf_submit(event, 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
