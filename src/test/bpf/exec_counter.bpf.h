/*
 * The part of a test object that always loads and attaches: a tracepoint program counting execs
 * into a single-entry array. Objects that test a program which fails to load or attach put it
 * beside this one, so the tests can see the rest of the object keep counting.
 */
#ifndef EXEC_COUNTER_BPF_H
#define EXEC_COUNTER_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

/* Defines the array map `map` and the program `prog` that increments its one entry on each exec. */
#define EXEC_COUNTER(map, prog)                                                                    \
    struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, u32); __type(value, u64); } \
        map SEC(".maps");                                                                          \
    SEC("tp/sched/sched_process_exec")                                                             \
    int prog(void *ctx)                                                                            \
    {                                                                                              \
        u32 zero = 0;                                                                              \
        map_increment(&map, &zero);                                                                \
        return 0;                                                                                  \
    }

#endif
