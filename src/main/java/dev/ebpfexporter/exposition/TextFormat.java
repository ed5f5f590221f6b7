package dev.ebpfexporter.exposition;

import java.nio.charset.StandardCharsets;

/**
 * The Prometheus text format 0.0.4 and OpenMetrics text 1.0, as client_golang writes them: floats in
 * Go's shortest form ({@link GoFloat}), HELP before TYPE, histogram buckets then {@code _sum} then
 * {@code _count}. In OpenMetrics a counter's family name has no {@code _total} and its samples do:
 * a counter configured as {@code foo} is declared {@code # TYPE foo counter} and sampled as
 * {@code foo_total}; OpenMetrics writes integers as {@code 1.0} and counts as plain integers.
 */
final class TextFormat implements FormatWriter {
    static final TextFormat PROMETHEUS = new TextFormat(false);
    static final TextFormat OPEN_METRICS = new TextFormat(true);

    private static final byte[] LE = "le=\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] QUANTILE = "quantile=\"".getBytes(StandardCharsets.US_ASCII);

    private final boolean openMetrics;

    private TextFormat(boolean openMetrics) {
        this.openMetrics = openMetrics;
    }

    @Override
    public void family(Family family, ByteBuf out) {
        FamilyMetadata metadata = family.metadata();
        String name = metadata.name();
        String sample = name;
        if (openMetrics && metadata.type() == MetricType.COUNTER) {
            if (name.endsWith("_total")) {
                name = name.substring(0, name.length() - "_total".length());
            }
            sample = name + "_total";
        }
        if (!metadata.help().isEmpty()) {
            out.ascii("# HELP ").ascii(name).put(' ');
            Escape.help(out, metadata.help(), openMetrics);
            out.put('\n');
        }
        out.ascii("# TYPE ").ascii(name).put(' ')
                .ascii(openMetrics ? metadata.type().openMetrics : metadata.type().text).put('\n');
        switch (family) {
            case Samples samples -> samples(out, samples, sample.getBytes(StandardCharsets.US_ASCII));
            case Histograms histograms -> histograms(out, histograms, name);
            case Summaries summaries -> summaries(out, summaries, name);
        }
    }

    @Override
    public void finish(ByteBuf out) {
        if (openMetrics) {
            out.ascii("# EOF\n");
        }
    }

    private void samples(ByteBuf out, Samples samples, byte[] name) {
        for (int s = 0; s < samples.size(); s++) {
            name(out, name, samples.labels(s));
            value(out, samples.value(s));
            out.put('\n');
        }
    }

    private void histograms(ByteBuf out, Histograms h, String name) {
        byte[] bucket = (name + "_bucket").getBytes(StandardCharsets.US_ASCII);
        byte[] sum = (name + "_sum").getBytes(StandardCharsets.US_ASCII);
        byte[] count = (name + "_count").getBytes(StandardCharsets.US_ASCII);
        byte[][] bounds = bounds(h.upperBounds());
        int buckets = h.buckets();
        long[] counts = h.counts();
        for (int s = 0; s < h.size(); s++) {
            LabelSet labels = h.labels(s);
            long cumulative = 0;
            for (int b = 0; b < buckets; b++) {
                cumulative += counts[s * buckets + b];
                name(out, bucket, labels, LE, bounds[b]);
                count(out, cumulative);
                out.put('\n');
            }
            name(out, sum, labels);
            value(out, h.sums()[s]);
            out.put('\n');
            name(out, count, labels);
            count(out, cumulative);
            out.put('\n');
        }
    }

    private void summaries(ByteBuf out, Summaries sm, String name) {
        byte[] base = name.getBytes(StandardCharsets.US_ASCII);
        byte[] sum = (name + "_sum").getBytes(StandardCharsets.US_ASCII);
        byte[] count = (name + "_count").getBytes(StandardCharsets.US_ASCII);
        byte[][] quantiles = bounds(sm.quantiles());
        int q = quantiles.length;
        for (int s = 0; s < sm.size(); s++) {
            LabelSet labels = sm.labels(s);
            for (int i = 0; i < q; i++) {
                name(out, base, labels, QUANTILE, quantiles[i]);
                value(out, sm.quantileValues()[s * q + i]);
                out.put('\n');
            }
            name(out, sum, labels);
            value(out, sm.sums()[s]);
            out.put('\n');
            name(out, count, labels);
            count(out, sm.counts()[s]);
            out.put('\n');
        }
    }

    /** Label texts of bounds or quantiles, as the value formatting of this format spells them. */
    private byte[][] bounds(double[] values) {
        byte[][] result = new byte[values.length][];
        ByteBuf scratch = new ByteBuf(32);
        for (int i = 0; i < values.length; i++) {
            scratch.clear();
            value(scratch, values[i]);
            result[i] = scratch.toByteArray();
        }
        return result;
    }

    /** The sample name and its labels, up to the space before the value. */
    private static void name(ByteBuf out, byte[] name, LabelSet labels) {
        out.put(name);
        if (labels.size() > 0) {
            out.put('{').put(labels.text()).put('}');
        }
        out.put(' ');
    }

    /** The sample name and its labels plus one more ({@code le}, {@code quantile}), up to the value. */
    private static void name(ByteBuf out, byte[] name, LabelSet labels, byte[] extra, byte[] extraValue) {
        out.put(name).put('{');
        if (labels.size() > 0) {
            out.put(labels.text()).put(',');
        }
        out.put(extra).put(extraValue).put('"').put('}').put(' ');
    }

    private void value(ByteBuf out, double v) {
        if (openMetrics) {
            GoFloat.appendOpenMetrics(out, v);
        } else {
            GoFloat.append(out, v);
        }
    }

    private void count(ByteBuf out, long v) {
        if (openMetrics) {
            out.unsigned(v);
        } else {
            GoFloat.append(out, v >= 0 ? v : (double) (v >>> 1) * 2.0);
        }
    }
}
