package dev.ebpfexporter.exposition;

/**
 * A histogram family with classic buckets: every series has the same upper bounds (the last one
 * {@code +Inf}), a count per bucket (not cumulative: the writers accumulate) and a sum.
 *
 * <p>Where the buckets are powers of two, {@code nativeLayout} says how they are an exponential
 * histogram as well: the protobuf writer then adds the native histogram fields to the classic ones,
 * and the OTLP push sends an exponential histogram, both from the same counts.
 *
 * @param upperBounds  ascending, {@code +Inf} last
 * @param counts       {@code counts[series * upperBounds.length + bucket]}
 * @param nativeLayout null when the buckets are classic only
 */
public record Histograms(FamilyMetadata metadata, LabelSet[] labelSets, int size, double[] upperBounds,
                         long[] counts, double[] sums, NativeLayout nativeLayout) implements Family {
    /** Classic buckets only. */
    public Histograms(FamilyMetadata metadata, LabelSet[] labelSets, int size, double[] upperBounds, long[] counts,
                      double[] sums) {
        this(metadata, labelSets, size, upperBounds, counts, sums, null);
    }

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
        if (nativeLayout != null && nativeLayout.zeroBucket() && upperBounds[0] != 0) {
            throw new IllegalArgumentException(metadata.name() + ": a zero bucket needs the upper bound 0, not "
                    + upperBounds[0]);
        }
        if (nativeLayout != null) {
            for (int b = nativeLayout.firstRegularBucket(); b < upperBounds.length - 1; b++) {
                if (upperBounds[b] != Math.scalb(1.0, nativeLayout.index(b))) {
                    throw new IllegalArgumentException(metadata.name() + ": bucket bound " + upperBounds[b]
                            + " is not 2^" + nativeLayout.index(b) + ", so the buckets are not exponential");
                }
            }
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

    /**
     * Throws unless {@code series} has nothing in the {@code +Inf} bucket: an observation above the last
     * finite bound has no exponential bucket to go to (its families' +Inf buckets are always empty).
     */
    public void requireExponential(int series) {
        long overflow = counts[(series + 1) * upperBounds.length - 1];
        if (overflow != 0) {
            throw new IllegalStateException(metadata.name() + ": " + overflow
                    + " observations above the last bucket have no exponential bucket");
        }
    }
}
