package dev.ebpfexporter.exposition;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array that a scrape writes its body into. One is kept per concurrent scrape and
 * reused, so a scrape's output costs no allocation once the buffer has grown to the body's size.
 */
public final class ByteBuf {
    private byte[] array;
    private int size;

    public ByteBuf(int capacity) {
        this.array = new byte[Math.max(capacity, 16)];
    }

    public byte[] array() {
        return array;
    }

    public int size() {
        return size;
    }

    /** Drops everything written from {@code position} on (a family that failed half-way). */
    public void truncate(int position) {
        size = position;
    }

    public void clear() {
        size = 0;
    }

    /** Makes room for {@code more} bytes after the current end. */
    public void ensure(int more) {
        int needed = size + more;
        if (needed > array.length) {
            array = Arrays.copyOf(array, Math.max(needed, array.length + (array.length >> 1)));
        }
    }

    /** The capacity, kept across scrapes. */
    public int capacity() {
        return array.length;
    }

    /** Replaces the backing array with a smaller one when a rare huge scrape grew it past {@code max}. */
    public void shrinkTo(int max) {
        if (array.length > max) {
            array = new byte[max];
            size = 0;
        }
    }

    public ByteBuf put(byte b) {
        ensure(1);
        array[size++] = b;
        return this;
    }

    /** Writes a char known to be ASCII. */
    public ByteBuf put(char c) {
        ensure(1);
        array[size++] = (byte) c;
        return this;
    }

    public ByteBuf put(byte[] bytes) {
        return put(bytes, 0, bytes.length);
    }

    public ByteBuf put(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, array, size, length);
        size += length;
        return this;
    }

    /** Writes a string known to be ASCII (metric names, fixed syntax). */
    public ByteBuf ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            array[size++] = (byte) s.charAt(i);
        }
        return this;
    }

    public ByteBuf utf8(String s) {
        return put(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Inserts {@code b} at {@code position}, moving what follows one byte on. */
    public ByteBuf insert(int position, byte b) {
        ensure(1);
        System.arraycopy(array, position, array, position + 1, size - position);
        array[position] = b;
        size++;
        return this;
    }

    /** Writes {@code value}'s decimal digits (non-negative), two at a time from the end. */
    public ByteBuf digits(long value) {
        int n = digitCount(value);
        ensure(n);
        int i = size + n;
        while (value >= 100) {
            int pair = (int) (value % 100);
            value /= 100;
            array[--i] = DIGIT_ONES[pair];
            array[--i] = DIGIT_TENS[pair];
        }
        if (value >= 10) {
            array[--i] = DIGIT_ONES[(int) value];
            array[--i] = DIGIT_TENS[(int) value];
        } else {
            array[--i] = (byte) ('0' + value);
        }
        size += n;
        return this;
    }

    private static final byte[] DIGIT_TENS = new byte[100];
    private static final byte[] DIGIT_ONES = new byte[100];
    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        for (int i = 0; i < 100; i++) {
            DIGIT_TENS[i] = (byte) ('0' + i / 10);
            DIGIT_ONES[i] = (byte) ('0' + i % 10);
        }
        long p = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = p;
            p *= 10;
        }
    }

    /** Writes an unsigned 64-bit value in decimal. */
    public ByteBuf unsigned(long value) {
        if (value >= 0) {
            return digits(value);
        }
        long quotient = (value >>> 1) / 5;
        digits(quotient);
        return put((char) ('0' + (value - quotient * 10)));
    }

    /** Decimal digits of a non-negative value. */
    static int digitCount(long value) {
        int n = 1;
        while (n < POWERS_OF_TEN.length && value >= POWERS_OF_TEN[n]) {
            n++;
        }
        return n;
    }

    /** A protobuf varint. */
    public ByteBuf varint(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            array[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        array[size++] = (byte) value;
        return this;
    }

    /** A protobuf fixed64 (a double's bits), little-endian. */
    public ByteBuf fixed64(long bits) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            array[size++] = (byte) (bits >>> (8 * i));
        }
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(array, size);
    }

    @Override
    public String toString() {
        return new String(array, 0, size, StandardCharsets.UTF_8);
    }
}
