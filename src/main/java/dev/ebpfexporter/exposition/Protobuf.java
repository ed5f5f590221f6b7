package dev.ebpfexporter.exposition;

import java.nio.charset.StandardCharsets;

/**
 * The Prometheus protobuf format: each family a length-delimited {@code io.prometheus.client.MetricFamily}
 * message, encoded by hand straight into the scrape buffer. Message sizes are computed before each
 * message is written (they are sums of fixed and varint widths), so nothing is encoded twice or moved.
 * Classic histograms leave out the {@code +Inf} bucket, whose count is the sample count, as
 * client_golang does. A histogram family with a {@link NativeLayout} carries the native histogram
 * fields too, after the classic ones (see {@link NativeFields}).
 */
final class Protobuf implements FormatWriter {
    static final Protobuf INSTANCE = new Protobuf();

    // Field tags: (field number << 3) | wire type (0 varint, 1 fixed64, 2 length-delimited).
    private static final byte FAMILY_NAME = 0x0A;
    private static final byte FAMILY_HELP = 0x12;
    private static final byte FAMILY_TYPE = 0x18;
    private static final byte FAMILY_METRIC = 0x22;
    private static final byte METRIC_GAUGE = 0x12;
    private static final byte METRIC_COUNTER = 0x1A;
    private static final byte METRIC_SUMMARY = 0x22;
    private static final byte METRIC_UNTYPED = 0x2A;
    private static final byte METRIC_HISTOGRAM = 0x3A;
    private static final byte VALUE_DOUBLE = 0x09;       // Gauge/Counter/Untyped.value = 1
    private static final byte SAMPLE_COUNT = 0x08;       // Histogram/Summary.sample_count = 1
    private static final byte SAMPLE_SUM = 0x11;         // Histogram/Summary.sample_sum = 2
    private static final byte HISTOGRAM_BUCKET = 0x1A;   // Histogram.bucket = 3
    private static final byte BUCKET_CUMULATIVE = 0x08;  // Bucket.cumulative_count = 1
    private static final byte BUCKET_UPPER_BOUND = 0x11; // Bucket.upper_bound = 2
    private static final byte SUMMARY_QUANTILE = 0x1A;   // Summary.quantile = 3
    private static final byte QUANTILE_QUANTILE = 0x09;  // Quantile.quantile = 1
    private static final byte QUANTILE_VALUE = 0x11;     // Quantile.value = 2
    /** A Gauge/Counter/Untyped message with its value: tag, length, value tag, 8 bytes. */
    private static final int VALUE_MESSAGE = 1 + 1 + 1 + 8;

    private Protobuf() {
    }

    static int varintSize(long value) {
        int n = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            n++;
        }
        return n;
    }

    private static int field(long length) {
        return 1 + varintSize(length) + (int) length;
    }

    /**
     * One family: its type is dispatched once, then each kind sums its series' message sizes and
     * writes them in loops of their own (a type switch per series costs more than the series).
     */
    @Override
    public void family(Family family, ByteBuf out) {
        switch (family) {
            case Samples samples -> samples(samples, out);
            case Histograms histograms -> histograms(histograms, out);
            case Summaries summaries -> summaries(summaries, out);
        }
    }

    @Override
    public void finish(ByteBuf out) {
        // delimited messages need no trailer
    }

    /** The family's length prefix, name, help and type; {@code metrics} is the size of its metric fields. */
    private static void header(FamilyMetadata metadata, long metrics, ByteBuf out) {
        byte[] name = metadata.name().getBytes(StandardCharsets.UTF_8);
        byte[] help = metadata.help().getBytes(StandardCharsets.UTF_8);
        out.varint(field(name.length) + (help.length > 0 ? field(help.length) : 0) + 2 + metrics);
        out.put(FAMILY_NAME).varint(name.length).put(name);
        if (help.length > 0) {
            out.put(FAMILY_HELP).varint(help.length).put(help);
        }
        out.put(FAMILY_TYPE).put((byte) metadata.type().protobuf);
    }

    private static void samples(Samples samples, ByteBuf out) {
        long metrics = 0;
        for (int s = 0; s < samples.size(); s++) {
            metrics += field(samples.labels(s).protobuf().length + VALUE_MESSAGE);
        }
        header(samples.metadata(), metrics, out);
        byte tag = switch (samples.metadata().type()) {
            case COUNTER -> METRIC_COUNTER;
            case GAUGE -> METRIC_GAUGE;
            case UNTYPED -> METRIC_UNTYPED;
            case HISTOGRAM, SUMMARY -> throw new IllegalStateException("not a sample type: " + samples.metadata().type());
        };
        for (int s = 0; s < samples.size(); s++) {
            byte[] labels = samples.labels(s).protobuf();
            out.put(FAMILY_METRIC).varint(labels.length + VALUE_MESSAGE).put(labels);
            out.put(tag).put((byte) 9).put(VALUE_DOUBLE).fixed64(Double.doubleToRawLongBits(samples.value(s)));
        }
    }

    private static void histograms(Histograms h, ByteBuf out) {
        NativeFields.Encoded nativeFields = h.nativeLayout() != null ? NativeFields.encodeAll(h) : null;
        // Each series' message size is computed once and kept for the writing pass.
        int[] sizes = histogramSizes(h, nativeFields);
        long metrics = 0;
        for (int s = 0; s < h.size(); s++) {
            metrics += field(h.labels(s).protobuf().length + field(sizes[s]));
        }
        header(h.metadata(), metrics, out);
        for (int s = 0; s < h.size(); s++) {
            byte[] labels = h.labels(s).protobuf();
            out.put(FAMILY_METRIC).varint(labels.length + field(sizes[s])).put(labels);
            histogram(out, h, s, sizes[s], nativeFields);
        }
    }

    private static void summaries(Summaries sm, ByteBuf out) {
        long metrics = 0;
        for (int s = 0; s < sm.size(); s++) {
            metrics += field(sm.labels(s).protobuf().length + field(summarySize(sm, s)));
        }
        header(sm.metadata(), metrics, out);
        for (int s = 0; s < sm.size(); s++) {
            byte[] labels = sm.labels(s).protobuf();
            out.put(FAMILY_METRIC).varint(labels.length + field(summarySize(sm, s))).put(labels);
            summary(out, sm, s);
        }
    }

    private static int bucketSize(long cumulative) {
        return 1 + varintSize(cumulative) + 1 + 8;
    }

    private static int[] histogramSizes(Histograms h, NativeFields.Encoded nativeFields) {
        int[] sizes = new int[h.size()];
        for (int s = 0; s < sizes.length; s++) {
            sizes[s] = classicHistogramSize(h, s) + (nativeFields == null ? 0 : nativeFields.size(s));
        }
        return sizes;
    }

    private static int classicHistogramSize(Histograms h, int s) {
        int buckets = h.buckets();
        int from = s * buckets;
        long cumulative = 0;
        int size = 0;
        for (int b = 0; b < buckets - 1; b++) {
            cumulative += h.counts()[from + b];
            size += field(bucketSize(cumulative));
        }
        cumulative += h.counts()[from + buckets - 1];
        return 1 + varintSize(cumulative) + 1 + 8 + size;
    }

    /** @param nativeFields null for classic buckets only */
    private static void histogram(ByteBuf out, Histograms h, int s, int size, NativeFields.Encoded nativeFields) {
        out.put(METRIC_HISTOGRAM).varint(size);
        out.put(SAMPLE_COUNT).varint(h.count(s));
        out.put(SAMPLE_SUM).fixed64(Double.doubleToRawLongBits(h.sums()[s]));
        int buckets = h.buckets();
        int from = s * buckets;
        long cumulative = 0;
        for (int b = 0; b < buckets - 1; b++) {
            cumulative += h.counts()[from + b];
            out.put(HISTOGRAM_BUCKET).varint(bucketSize(cumulative));
            out.put(BUCKET_CUMULATIVE).varint(cumulative);
            out.put(BUCKET_UPPER_BOUND).fixed64(Double.doubleToRawLongBits(h.upperBounds()[b]));
        }
        if (nativeFields != null) {
            nativeFields.writeTo(out, s);
        }
    }

    private static final int QUANTILE_MESSAGE = 1 + 1 + 9 + 9;

    private static int summarySize(Summaries sm, int s) {
        return 1 + varintSize(sm.counts()[s]) + 1 + 8 + sm.quantiles().length * QUANTILE_MESSAGE;
    }

    private static void summary(ByteBuf out, Summaries sm, int s) {
        out.put(METRIC_SUMMARY).varint(summarySize(sm, s));
        out.put(SAMPLE_COUNT).varint(sm.counts()[s]);
        out.put(SAMPLE_SUM).fixed64(Double.doubleToRawLongBits(sm.sums()[s]));
        int q = sm.quantiles().length;
        for (int i = 0; i < q; i++) {
            out.put(SUMMARY_QUANTILE).put((byte) 18);
            out.put(QUANTILE_QUANTILE).fixed64(Double.doubleToRawLongBits(sm.quantiles()[i]));
            out.put(QUANTILE_VALUE).fixed64(Double.doubleToRawLongBits(sm.quantileValues()[s * q + i]));
        }
    }
}
