package dev.ebpfexporter.bpf;

/** The kernel's map type numbers ({@code enum bpf_map_type}) that the exporter treats specially. */
public final class MapType {
    public static final int HASH = 1;
    public static final int ARRAY = 2;
    public static final int PERF_EVENT_ARRAY = 4;
    public static final int PERCPU_HASH = 5;
    public static final int PERCPU_ARRAY = 6;
    public static final int STACK_TRACE = 7;
    public static final int LRU_HASH = 9;
    public static final int LRU_PERCPU_HASH = 10;
    public static final int RINGBUF = 27;
    public static final int CGRP_STORAGE = 32;

    private MapType() {
    }

    public static boolean isPerCpu(int type) {
        return type == PERCPU_HASH || type == PERCPU_ARRAY || type == LRU_PERCPU_HASH;
    }

    public static String name(int type) {
        return switch (type) {
            case HASH -> "hash";
            case ARRAY -> "array";
            case PERF_EVENT_ARRAY -> "perf_event_array";
            case PERCPU_HASH -> "percpu_hash";
            case PERCPU_ARRAY -> "percpu_array";
            case STACK_TRACE -> "stack_trace";
            case LRU_HASH -> "lru_hash";
            case LRU_PERCPU_HASH -> "lru_percpu_hash";
            case RINGBUF -> "ringbuf";
            case CGRP_STORAGE -> "cgrp_storage";
            default -> "type " + type;
        };
    }
}
