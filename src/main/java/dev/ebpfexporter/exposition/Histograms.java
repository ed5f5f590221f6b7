package dev.ebpfexporter.exposition;

/**
 * A histogram family with classic buckets: every series has the same upper bounds (the last one
 * {@code +Inf}), a count per bucket (not cumulative: the writers accumulate) and a sum.
 *
 * <p>Native histograms (schema, zero bucket, spans and deltas) belong beside these arrays as
 * per-series data of their own; the protobuf writer encodes a series' histogram message in one
 * method that would add those fields after the classic ones.
 *
 * @param upperBounds ascending, {@code +Inf} last
 * @param counts      {@code counts[series * upperBounds.length + bucket]}
 */
public record Histograms(FamilyMetadata metadata, LabelSet[] labelSets, int size, double[] upperBounds,
                         long[] counts, double[] sums) implements Family {
    public Histograms {
        if (metadata.type() != MetricType.HISTOGRAM) {
            throw new IllegalArgumentException(metadata.name() + ": a " + metadata.type() + " is not a histogram");
        }
        if (upperBounds.length == 0 || upperBounds[upperBounds.length - 1] != Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException(metadata.name() + ": histogram bounds must end with +Inf");
        }
        if (labelSets.length < size || sums.length < size || counts.length < (long) size * upperBounds.length) {
            throw new IllegalArgumentException(metadata.name() + ": fewer labels, sums or counts than " + size + " series");
        }
    }

    @Override
    public LabelSet labels(int series) {
        return labelSets[series];
    }

    public int buckets() {
        return upperBounds.length;
    }

    /** Observations in {@code series} (all buckets). */
    public long count(int series) {
        long total = 0;
        int from = series * upperBounds.length;
        for (int b = 0; b < upperBounds.length; b++) {
            total += counts[from + b];
        }
        return total;
    }
}
