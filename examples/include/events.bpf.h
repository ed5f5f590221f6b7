/*
 * Counting what a ring buffer could not take. The kernel tells user space about records lost by a
 * perf buffer (ebpf-exporter exports them), but a failed bpf_ringbuf_reserve() or
 * bpf_ringbuf_output() is known only to the program. The convention ebpf-exporter reads: beside a
 * ring buffer map X, a one-entry (per-CPU) array named X_lost whose u64 at key 0 the program adds 1
 * to for each record it could not write; it is exported as
 * ebpf_exporter_events_lost_total{config="<config>",map="X"}.
 *
 *     struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 256 * 1024); } events SEC(".maps");
 *     RINGBUF_LOST_COUNTER(events);
 *     ...
 *     struct event *e = ringbuf_reserve_or_count(events, sizeof(*e));
 *     if (!e)
 *         return 0;
 */
#ifndef EBPF_EXPORTER_EVENTS_BPF_H
#define EBPF_EXPORTER_EVENTS_BPF_H

#include <bpf/bpf_helpers.h>

/* Defines ringbuf##_lost, the count of records the program could not write to ringbuf. */
#define RINGBUF_LOST_COUNTER(ringbuf)                                                                  \
    struct {                                                                                           \
        __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                                       \
        __uint(max_entries, 1);                                                                        \
        __type(key, u32);                                                                              \
        __type(value, u64);                                                                            \
    } ringbuf##_lost SEC(".maps")

/* Adds 1 to a lost-record count defined by RINGBUF_LOST_COUNTER. */
static __always_inline void ringbuf_count_lost(void *lost)
{
    u32 zero = 0;
    u64 *count = bpf_map_lookup_elem(lost, &zero);

    if (count)
        __sync_fetch_and_add(count, 1);
}

/* bpf_ringbuf_reserve(&ringbuf, size, 0), counting a failure in ringbuf##_lost. */
#define ringbuf_reserve_or_count(ringbuf, size)                                                        \
    ({                                                                                                 \
        void *__record = bpf_ringbuf_reserve(&ringbuf, size, 0);                                       \
        if (!__record)                                                                                 \
            ringbuf_count_lost(&ringbuf##_lost);                                                       \
        __record;                                                                                      \
    })

/* bpf_ringbuf_output(&ringbuf, data, size, 0), counting a failure in ringbuf##_lost; returns its result. */
#define ringbuf_output_or_count(ringbuf, data, size)                                                   \
    ({                                                                                                 \
        long __result = bpf_ringbuf_output(&ringbuf, data, size, 0);                                   \
        if (__result)                                                                                  \
            ringbuf_count_lost(&ringbuf##_lost);                                                       \
        __result;                                                                                      \
    })

#endif
