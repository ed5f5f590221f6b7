/* Helpers for the block layer examples (biolatency, biosize). */
#ifndef EBPF_EXPORTER_BLOCK_BPF_H
#define EBPF_EXPORTER_BLOCK_BPF_H

#include <bpf/bpf_core_read.h>

/* The low 8 bits of cmd_flags are the operation (enum req_op: read, write, flush, discard...). */
#define REQ_OP_MASK 0xff

/*
 * The request's disk as a userspace dev_t (the kernel's new_encode_dev layout: minor low byte,
 * then major, then the rest of the minor), which is what the majorminor decoder expects.
 * 0 when the request has no disk.
 */
static __always_inline u32 request_dev(struct request *rq)
{
    struct gendisk *disk = BPF_CORE_READ(rq, q, disk);
    u32 major, minor;

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
