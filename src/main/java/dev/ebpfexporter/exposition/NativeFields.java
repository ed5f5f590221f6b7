package dev.ebpfexporter.exposition;

import java.util.Arrays;

/**
 * The native histogram fields of one series' {@code io.prometheus.client.Histogram} message: schema,
 * zero bucket, and the positive buckets as spans and deltas, computed from the classic counts by the
 * family's {@link NativeLayout}. Buckets are grouped in spans of non-empty buckets; a gap of one or
 * two empty buckets is kept inside the span (two zero deltas are smaller than a new span), as
 * client_golang does. Reused from series to series.
 */
final class NativeFields {
    private static final byte SCHEMA = 0x28;          // Histogram.schema = 5, sint32
    private static final byte ZERO_THRESHOLD = 0x31;  // Histogram.zero_threshold = 6, double
    private static final byte ZERO_COUNT = 0x38;      // Histogram.zero_count = 7, uint64
    private static final byte POSITIVE_SPAN = 0x62;   // Histogram.positive_span = 12, BucketSpan
    private static final byte POSITIVE_DELTA = 0x68;  // Histogram.positive_delta = 13, sint64 (not packed: proto2)
    private static final byte SPAN_OFFSET = 0x08;     // BucketSpan.offset = 1, sint32
    private static final byte SPAN_LENGTH = 0x10;     // BucketSpan.length = 2, uint32
    private static final int MAX_GAP = 2;

    /**
     * The native fields of every series of {@code h}, encoded once (the size pass and the writing
     * pass of the protobuf writer both use them): series {@code s} has bytes
     * {@code offsets[s] .. offsets[s + 1]} of {@code bytes}.
     */
    record Encoded(ByteBuf bytes, int[] offsets) {
        int size(int series) {
            return offsets[series + 1] - offsets[series];
        }

        void writeTo(ByteBuf out, int series) {
            out.put(bytes.array(), offsets[series], size(series));
        }
    }

    static Encoded encodeAll(Histograms h) {
        NativeFields fields = new NativeFields();
        // 16 bytes of fixed fields, a span and a few deltas: most series fit in 48.
        ByteBuf bytes = new ByteBuf(Math.max(64, h.size() * 48));
        int[] offsets = new int[h.size() + 1];
        for (int s = 0; s < h.size(); s++) {
            fields.compute(h, s);
            fields.write(bytes);
            offsets[s + 1] = bytes.size();
        }
        return new Encoded(bytes, offsets);
    }

    private int[] spanStart = new int[4];
    private int[] spanLength = new int[4];
    private long[] deltas = new long[32];
    private int spans;
    private int buckets;
    private long zeroCount;
    private double zeroThreshold;

    /** Takes series {@code s} of {@code h}, which has a native layout. */
    private void compute(Histograms h, int s) {
        NativeLayout layout = h.nativeLayout();
        long[] counts = h.counts();
        int stride = h.buckets();
        int from = s * stride;
        h.requireExponential(s);
        zeroCount = layout.zeroBucket() ? counts[from] : 0;
        long observations = zeroCount;
        spans = 0;
        buckets = 0;
        long previous = 0;
        int lastIndex = Integer.MIN_VALUE;
        for (int b = layout.firstRegularBucket(); b < stride - 1; b++) {
            long count = counts[from + b];
            if (count == 0) {
                continue;
            }
            int index = layout.index(b);
            if (spans > 0 && index - lastIndex - 1 <= MAX_GAP) {
                for (int gap = lastIndex + 1; gap < index; gap++) {
                    delta(-previous);
                    previous = 0;
                    spanLength[spans - 1]++;
                }
            } else {
                if (spans == spanStart.length) {
                    spanStart = Arrays.copyOf(spanStart, spans * 2);
                    spanLength = Arrays.copyOf(spanLength, spans * 2);
                }
                spanStart[spans] = index;
                spanLength[spans] = 0;
                spans++;
            }
            spanLength[spans - 1]++;
            delta(count - previous);
            previous = count;
            lastIndex = index;
            observations += count;
        }
        zeroThreshold = layout.zeroThreshold(observations);
    }

    private void delta(long delta) {
        if (buckets == deltas.length) {
            deltas = Arrays.copyOf(deltas, buckets * 2);
        }
        deltas[buckets++] = delta;
    }

    private void write(ByteBuf out) {
        out.put(SCHEMA).varint(zigzag(NativeLayout.SCHEMA));
        out.put(ZERO_THRESHOLD).fixed64(Double.doubleToRawLongBits(zeroThreshold));
        out.put(ZERO_COUNT).varint(zeroCount);
        for (int i = 0; i < spans; i++) {
            out.put(POSITIVE_SPAN).varint(spanSize(i));
            out.put(SPAN_OFFSET).varint(zigzag(offset(i)));
            out.put(SPAN_LENGTH).varint(spanLength[i]);
        }
        for (int i = 0; i < buckets; i++) {
            out.put(POSITIVE_DELTA).varint(zigzag(deltas[i]));
        }
    }

    /** The first span's offset is its first bucket's index; a later span's is the gap after the one before. */
    private int offset(int span) {
        return span == 0 ? spanStart[0] : spanStart[span] - spanStart[span - 1] - spanLength[span - 1];
    }

    private int spanSize(int span) {
        return 1 + Protobuf.varintSize(zigzag(offset(span))) + 1 + Protobuf.varintSize(spanLength[span]);
    }

    /** sint32 and sint64 both encode as zigzag varints; every int here fits the 32-bit form too. */
    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }
}
