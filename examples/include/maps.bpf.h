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

#endif
