// SPDX-License-Identifier: GPL-2.0
/*
 * biosize: how large block IO requests are, by device and operation.
 * Kernel event: block_rq_issue (BTF-typed tracepoint), when a request is handed to the driver;
 * its byte count goes into an exp2 histogram of bytes.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"
#include "block.bpf.h"

/* bucket_max in biosize.yaml: 2^26 bytes = 64 MiB. */
#define MAX_SLOT 26

/*
 * Key of bio_size_bytes, laid out as the YAML labels:
 *   device    size 4            (dev_t, majorminor decoder)
 *   operation size 1 padding 3  (enum req_op, static_map decoder)
 *   bucket    size 8            (exp2 slot; slot MAX_SLOT + 1 holds the sum in bytes)
 */
struct size_key {
    u32 device;
    u8 operation;
    u8 __pad[3];
    u64 bucket;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, struct size_key);
    __type(value, u64);
} bio_size_bytes SEC(".maps");

/* Not BPF_PROG: the request is the first argument or the second, by kernel (issued_request). */
SEC("tp_btf/block_rq_issue")
int block_rq_issue(unsigned long long *ctx)
{
    struct request *rq = issued_request(ctx);
    struct size_key key;

    __builtin_memset(&key, 0, sizeof(key));
    key.device = request_dev(rq);
    key.operation = request_op(rq);
    hist_exp2_record(&bio_size_bytes, &key, &key.bucket, BPF_CORE_READ(rq, __data_len), MAX_SLOT);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
