/* Small map helpers shared by the bundled examples. */
#ifndef EBPF_EXPORTER_MAPS_BPF_H
#define EBPF_EXPORTER_MAPS_BPF_H

#include <bpf/bpf_helpers.h>

/* Adds delta to the u64 value at key, creating the entry (as 0) first when it is missing. */
static __always_inline void map_add(void *map, const void *key, u64 delta)
{
    u64 *value = bpf_map_lookup_elem(map, key);
    if (!value) {
        u64 zero = 0;
        /* BPF_NOEXIST: if another CPU created it in between, keep theirs and add to it. */
        bpf_map_update_elem(map, key, &zero, BPF_NOEXIST);
        value = bpf_map_lookup_elem(map, key);
        if (!value)
            return;
    }
    __sync_fetch_and_add(value, delta);
}

static __always_inline void map_increment(void *map, const void *key)
{
    map_add(map, key, 1);
}

/*
 * Adds 1 to this CPU's value at key in a per-CPU map, creating the key first when it is missing
 * (an update from a program sets this CPU's value; the other CPUs' start at 0). No atomic add: only
 * programs on this CPU write this value, one at a time.
 */
static __always_inline void percpu_map_increment(void *map, const void *key)
{
    u64 *value = bpf_map_lookup_elem(map, key);
    if (value) {
        *value += 1;
        return;
    }
    u64 one = 1;
    /* BPF_NOEXIST: if another CPU created the key in between, this CPU's value is there (as 0) now. */
    if (bpf_map_update_elem(map, key, &one, BPF_NOEXIST) != 0) {
        value = bpf_map_lookup_elem(map, key);
        if (value)
            *value += 1;
    }
}

/*
 * floor(log2(v)) for v > 0 (0 for v == 0), without loops or a clz instruction (BPF has none):
 * halve the search range five times, then look at the last two bits.
 */
static __always_inline u64 log2_floor(u64 v)
{
    u64 r = 0, shift;

    shift = (u64)(v > 0xffffffffULL) << 5; v >>= shift; r |= shift;
    shift = (u64)(v > 0xffffULL) << 4;     v >>= shift; r |= shift;
    shift = (u64)(v > 0xffULL) << 3;       v >>= shift; r |= shift;
    shift = (u64)(v > 0xfULL) << 2;        v >>= shift; r |= shift;
    shift = (u64)(v > 0x3ULL) << 1;        v >>= shift; r |= shift;
    return r | (v >> 1);
}

/*
 * The exp2 slot of a value: the smallest i with v <= 2^i, so that slot i is exactly the
 * Prometheus bucket `le = 2^i * bucket_multiplier` (values in (2^(i-1), 2^i] land in it).
 */
static __always_inline u64 exp2_slot(u64 v)
{
    return v <= 1 ? 0 : log2_floor(v - 1) + 1;
}

/*
 * Records one observation of value in an exp2 histogram map whose key ends with a u64 bucket
 * field: *bucket points at that field inside key. Increments slot exp2_slot(value) (capped at
 * max_slot, the YAML's bucket_max) and adds value to the sum kept at key max_slot + 1,
 * which the exporter exposes (times bucket_multiplier) as the histogram's _sum.
 */
static __always_inline void hist_exp2_record(void *map, void *key, u64 *bucket, u64 value,
                                             u64 max_slot)
{
    u64 slot = exp2_slot(value);

    *bucket = slot > max_slot ? max_slot : slot;
    map_increment(map, key);

    *bucket = max_slot + 1;
    map_add(map, key, value);
}

#endif
