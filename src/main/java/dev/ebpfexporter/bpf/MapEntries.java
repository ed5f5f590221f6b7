package dev.ebpfexporter.bpf;

/**
 * Every entry of a map at one moment, copied onto the heap: entry {@code i}'s key is
 * {@code keys[i*keySize .. +keySize)} and its value {@code values[i*valueStride .. +valueStride)}.
 * For per-CPU maps a value holds {@code cpus} slots of {@code valueSlot} bytes each.
 */
public record MapEntries(int count, int keySize, int valueSize, int valueSlot, int cpus, byte[] keys, byte[] values) {
    public static MapEntries empty(int keySize, int valueSize, int valueSlot, int cpus) {
        return new MapEntries(0, keySize, valueSize, valueSlot, cpus, new byte[0], new byte[0]);
    }

    public int valueStride() {
        return valueSlot * cpus;
    }

    /** Little-endian u64 at {@code cpu}'s slot of entry {@code index} (cpu is 0 for plain maps). */
    public long u64(int index, int cpu) {
        return (long) LONG_LE.get(values, index * valueStride() + cpu * valueSlot);
    }

    /** Little-endian u64 at {@code offset} bytes into {@code cpu}'s slot of entry {@code index} (multi-value maps). */
    public long u64(int index, int cpu, int offset) {
        return (long) LONG_LE.get(values, index * valueStride() + cpu * valueSlot + offset);
    }

    /** The u64 value of entry {@code index}, summed over CPUs for per-CPU maps. */
    public long u64Sum(int index) {
        long sum = 0;
        for (int cpu = 0; cpu < cpus; cpu++) {
            sum += u64(index, cpu);
        }
        return sum;
    }

    public byte[] key(int index) {
        return java.util.Arrays.copyOfRange(keys, index * keySize, (index + 1) * keySize);
    }

    private static final java.lang.invoke.VarHandle LONG_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
}
