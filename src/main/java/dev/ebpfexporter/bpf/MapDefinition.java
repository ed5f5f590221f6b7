package dev.ebpfexporter.bpf;

/**
 * What the kernel fixes when it creates a map and checks when a program shares it: type, key and value
 * size, maximum entries and creation flags. Two maps with equal definitions can stand in for each other.
 */
public record MapDefinition(int type, int keySize, int valueSize, int maxEntries, int flags) {
    /** e.g. {@code hash, key 8 B, value 8 B, 10240 entries, flags 0x0}. */
    public String describe() {
        return MapType.name(type) + ", key " + keySize + " B, value " + valueSize + " B, " + maxEntries + " entries, flags 0x"
                + Integer.toHexString(flags);
    }
}
