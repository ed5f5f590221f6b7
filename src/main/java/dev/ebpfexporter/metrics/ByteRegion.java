package dev.ebpfexporter.metrics;

import java.util.Arrays;

/**
 * A key's bytes as a hash-map key, either owned (stored in a cache) or a reusable probe that views
 * a region of a larger array, so that looking up a key on the scrape path allocates nothing.
 */
final class ByteRegion {
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
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + array[i];
        }
        this.hash = h;
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
