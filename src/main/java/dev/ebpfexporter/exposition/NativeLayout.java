package dev.ebpfexporter.exposition;

/**
 * How a histogram family's classic buckets are, exactly, an exponential histogram too (a Prometheus
 * native histogram, an OpenTelemetry exponential histogram): each classic bucket whose upper bound
 * is a power of two is one exponential bucket of schema 0, and a classic bucket with upper bound 0
 * is the zero bucket. Set only where that holds for every bucket of the family, and where the
 * {@code +Inf} bucket is always empty (an observation above the last bound has no exponential
 * bucket to go to).
 *
 * <p>Indexes follow Prometheus: at schema 0, bucket {@code i} covers {@code (2^(i-1), 2^i]}.
 * OpenTelemetry numbers the same bucket {@code i - 1} (its bucket {@code i} is {@code (2^i, 2^(i+1)]}).
 *
 * @param firstIndex the Prometheus bucket index of the first classic bucket that is not the zero bucket
 * @param zeroBucket whether classic bucket 0 (upper bound 0) is the zero bucket
 */
public record NativeLayout(int firstIndex, boolean zeroBucket) {
    /** Schema 0: bucket bounds are powers of two (OpenTelemetry's scale 0). */
    public static final int SCHEMA = 0;
    /**
     * The zero bucket's width when there is no zero bucket in the classic buckets: client_golang's
     * default, 2^-128. Prometheus 2.42 reads a histogram with a zero threshold of 0, no zero count and
     * no buckets as a classic one, so an exponential histogram with no observations needs it positive.
     */
    public static final double DEFAULT_ZERO_THRESHOLD = 0x1p-128;

    public NativeLayout {
        if (firstIndex <= -128 || firstIndex > 1023) {
            throw new IllegalArgumentException("exponential bucket index " + firstIndex
                    + " is outside (2^-128, 2^1023]");
        }
    }

    /** The first classic bucket that is an exponential bucket (1 when bucket 0 is the zero bucket). */
    public int firstRegularBucket() {
        return zeroBucket ? 1 : 0;
    }

    /** The Prometheus (schema 0) index of classic bucket {@code bucket} (not the zero bucket). */
    public int index(int bucket) {
        return firstIndex + bucket - firstRegularBucket();
    }

    /**
     * The zero bucket's threshold for a series with {@code zeroCount} in the zero bucket and
     * {@code observations} in all: exactly 0 when the classic buckets have a zero bucket (it holds
     * what is at most 0), except for a series that has no observations at all (see
     * {@link #DEFAULT_ZERO_THRESHOLD}).
     */
    public double zeroThreshold(long observations) {
        return zeroBucket && observations > 0 ? 0 : DEFAULT_ZERO_THRESHOLD;
    }
}
