// SPDX-License-Identifier: GPL-2.0
/*
 * biolatency: how long block devices take to serve requests, by device and operation.
 * Kernel events: block_rq_issue (request handed to the driver) and block_rq_complete
 * (request done), both BTF-typed tracepoints; the time between them is the device latency,
 * recorded in an exp2 histogram of microseconds. CO-RE covers the kernels whose block_rq_issue
 * also passes the queue (before 5.11) and whose requests name their disk themselves (5.10 here).
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"
#include "block.bpf.h"

/* bucket_max in biolatency.yaml: 2^27 us is about 134 s. */
#define MAX_SLOT 27

/*
 * Key of bio_latency_seconds, laid out as the YAML labels:
 *   device    size 4            (dev_t, majorminor decoder)
 *   operation size 1 padding 3  (enum req_op, static_map decoder)
 *   bucket    size 8            (exp2 slot; slot MAX_SLOT + 1 holds the sum in us)
 */
struct latency_key {
    u32 device;
    u8 operation;
    u8 __pad[3];
    u64 bucket;
};

/* Issue time (ns) of every request in flight, by request pointer. */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16384);
    __type(key, u64);
    __type(value, u64);
} issued_at SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, struct latency_key);
    __type(value, u64);
} bio_latency_seconds SEC(".maps");

/* Not BPF_PROG: the request is the first argument or the second, by kernel (issued_request). */
SEC("tp_btf/block_rq_issue")
int block_rq_issue(unsigned long long *ctx)
{
    u64 id = (u64)issued_request(ctx);
    u64 now = bpf_ktime_get_ns();

    bpf_map_update_elem(&issued_at, &id, &now, BPF_ANY);
    return 0;
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(block_rq_complete, struct request *rq, blk_status_t error, unsigned int nr_bytes)
{
    u64 id = (u64)rq;
    struct latency_key key;
    u64 *start, delta_us;

    start = bpf_map_lookup_elem(&issued_at, &id);
    if (!start)
        return 0;
    delta_us = (bpf_ktime_get_ns() - *start) / 1000;
    bpf_map_delete_elem(&issued_at, &id);

    __builtin_memset(&key, 0, sizeof(key));
    key.device = request_dev(rq);
    key.operation = request_op(rq);
    hist_exp2_record(&bio_latency_seconds, &key, &key.bucket, delta_us, MAX_SLOT);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
