package dev.ebpfexporter.metrics;

import java.util.Arrays;

/**
 * A key's bytes as a hash-map key, either owned (stored in a cache) or a reusable probe that views
 * a region of a larger array, so that looking up a key on the scrape path allocates nothing.
 */
final class ByteRegion {
    private static final java.lang.invoke.VarHandle LONG =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private byte[] array;
    private int offset;
    private int length;
    private int hash;

    private ByteRegion(byte[] array, int offset, int length) {
        set(array, offset, length);
    }

    static ByteRegion probe() {
        return new ByteRegion(new byte[0], 0, 0);
    }

    /** Points this probe at {@code array[offset, offset+length)}. */
    ByteRegion set(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
        // 8 bytes at a time, mixed (murmur3's finalizer): keys are structs of small integers and
        // addresses, which a byte-wise polynomial hash spreads poorly.
        long h = length;
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            h = (h ^ (long) LONG.get(array, i)) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }
        for (; i < end; i++) {
            h = (h ^ (array[i] & 0xff)) * 0x9E3779B97F4A7C15L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        this.hash = (int) h ^ (int) (h >>> 32);
        return this;
    }

    /** An owned copy, safe to store. */
    ByteRegion copy() {
        return new ByteRegion(Arrays.copyOfRange(array, offset, offset + length), 0, length);
    }

    byte[] toArray() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ByteRegion that && hash == that.hash
                && Arrays.equals(array, offset, offset + length, that.array, that.offset, that.offset + that.length);
    }
}
