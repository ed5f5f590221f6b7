package dev.ebpfexporter.bcc;

/** The BPF map types the BCC table macros turn into. */
public enum MapKind {
    HASH("BPF_MAP_TYPE_HASH"),
    ARRAY("BPF_MAP_TYPE_ARRAY"),
    PERCPU_HASH("BPF_MAP_TYPE_PERCPU_HASH"),
    PERCPU_ARRAY("BPF_MAP_TYPE_PERCPU_ARRAY"),
    LRU_HASH("BPF_MAP_TYPE_LRU_HASH"),
    LRU_PERCPU_HASH("BPF_MAP_TYPE_LRU_PERCPU_HASH");

    private final String bpfType;

    MapKind(String bpfType) {
        this.bpfType = bpfType;
    }

    public String bpfType() {
        return bpfType;
    }

    /** Array maps: every key exists, so an update never needs to create one. */
    public boolean isArray() {
        return this == ARRAY || this == PERCPU_ARRAY;
    }
}
