// SPDX-License-Identifier: GPL-2.0
/*
 * page-cache: page cache churn and writeback activity: folios added to and removed from the
 * page cache, folios dirtied, and pages the flusher threads wrote back.
 * Kernel events (BTF-typed tracepoints): mm_filemap_add_to_page_cache,
 * mm_filemap_delete_from_page_cache, writeback_dirty_folio, writeback_pages_written.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

/* Values of the YAML's op label (static_map decoder). */
enum page_cache_op {
    OP_ADD = 0,
    OP_DELETE = 1,
    OP_DIRTY = 2,
};

/* Key of page_cache_ops_total: the YAML's single label, op, size 4 (enum page_cache_op). */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 3);
    __type(key, u32);
    __type(value, u64);
} page_cache_ops_total SEC(".maps");

/* writeback_pages_total has no labels: the exporter reads key u32 0 of a one-entry array. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, u64);
} writeback_pages_total SEC(".maps");

static __always_inline void count_op(u32 op)
{
    u64 *value = bpf_map_lookup_elem(&page_cache_ops_total, &op);

    if (value)
        __sync_fetch_and_add(value, 1);
}

SEC("tp_btf/mm_filemap_add_to_page_cache")
int BPF_PROG(mm_filemap_add_to_page_cache, struct folio *folio)
{
    count_op(OP_ADD);
    return 0;
}

SEC("tp_btf/mm_filemap_delete_from_page_cache")
int BPF_PROG(mm_filemap_delete_from_page_cache, struct folio *folio)
{
    count_op(OP_DELETE);
    return 0;
}

SEC("tp_btf/writeback_dirty_folio")
int BPF_PROG(writeback_dirty_folio, struct folio *folio, struct address_space *mapping)
{
    count_op(OP_DIRTY);
    return 0;
}

/* Fired by a flusher thread after a round of writeback, with the pages it wrote. */
SEC("tp_btf/writeback_pages_written")
int BPF_PROG(writeback_pages_written, long pages)
{
    u32 zero = 0;
    u64 *value = bpf_map_lookup_elem(&writeback_pages_total, &zero);

    if (value && pages > 0)
        __sync_fetch_and_add(value, pages);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
