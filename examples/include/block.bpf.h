/* Helpers for the block layer examples (biolatency, biosize). */
#ifndef EBPF_EXPORTER_BLOCK_BPF_H
#define EBPF_EXPORTER_BLOCK_BPF_H

#include <bpf/bpf_core_read.h>

/* The low 8 bits of cmd_flags are the operation (enum req_op: read, write, flush, discard...). */
#define REQ_OP_MASK 0xff

/*
 * Older kernels (5.10 here) have a request name its disk itself (rq_disk); newer ones only
 * through its queue (q->disk).
 */
struct request___rq_disk {
    struct gendisk *rq_disk;
} __attribute__((preserve_access_index));

/*
 * block_rq_issue's arguments before 5.11: (request_queue, request); since: (request). The CO-RE
 * "type exists" check of this typedef holds only where the kernel's tracepoint has this very
 * prototype (libbpf compares the parameters of function prototypes), so one object reads the
 * request from the right argument on either.
 */
typedef void (*btf_trace_block_rq_issue___with_queue)(void *, struct request_queue *, struct request *);

/* The request of block_rq_issue, from the tracepoint's raw arguments (a tp_btf program's ctx). */
static __always_inline struct request *issued_request(unsigned long long *ctx)
{
    if (bpf_core_type_exists(btf_trace_block_rq_issue___with_queue))
        return (struct request *)ctx[1];
    return (struct request *)ctx[0];
}

/*
 * The request's disk as a userspace dev_t (the kernel's new_encode_dev layout: minor low byte,
 * then major, then the rest of the minor), which is what the majorminor decoder expects.
 * 0 when the request has no disk.
 */
static __always_inline u32 request_dev(struct request *rq)
{
    struct gendisk *disk;
    u32 major, minor;

    if (bpf_core_field_exists(((struct request___rq_disk *)rq)->rq_disk))
        disk = BPF_CORE_READ((struct request___rq_disk *)rq, rq_disk);
    else
        disk = BPF_CORE_READ(rq, q, disk);

    if (!disk)
        return 0;
    major = BPF_CORE_READ(disk, major);
    minor = BPF_CORE_READ(disk, first_minor);
    return (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

static __always_inline u8 request_op(struct request *rq)
{
    return BPF_CORE_READ(rq, cmd_flags) & REQ_OP_MASK;
}

#endif
