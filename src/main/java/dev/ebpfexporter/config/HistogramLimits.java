package dev.ebpfexporter.config;

/**
 * Bounds on histogram buckets, checked when a config is read: every series of a histogram carries
 * all of its buckets, so the bucket count is memory and scrape time per series. exp2 keys are powers
 * of two (-64 to 64: 2^64 is above any 64-bit value); linear and fixed histograms get at most {@link #MAX_BUCKETS}.
 */
public final class HistogramLimits {
    public static final int MAX_EXP2_KEY = 64;
    public static final int MAX_BUCKETS = 4096;

    private HistogramLimits() {
    }

    /** Why the buckets are refused, or null when they are within bounds. */
    public static String problem(BucketType type, long min, long max, int fixedKeys) {
        if (min < Integer.MIN_VALUE || max > Integer.MAX_VALUE) {
            return "bucket_min " + min + " and bucket_max " + max + " must be 32-bit integers";
        }
        return switch (type) {
            case EXP2, EXP2ZERO -> min < -MAX_EXP2_KEY || max > MAX_EXP2_KEY
                    ? "bucket_min " + min + " and bucket_max " + max + " must be within " + -MAX_EXP2_KEY + ".."
                            + MAX_EXP2_KEY + " for bucket_type " + type.yamlName()
                            + " (bounds are powers of two; 2^64 is above any 64-bit value)"
                    : null;
            case LINEAR -> max - min + 1 > MAX_BUCKETS
                    ? "bucket_min " + min + " to bucket_max " + max + " is " + (max - min + 1) + " buckets, more than the "
                            + MAX_BUCKETS + " a histogram may have (each series carries every bucket)"
                    : null;
            case FIXED -> fixedKeys > MAX_BUCKETS
                    ? fixedKeys + " bucket_keys, more than the " + MAX_BUCKETS
                            + " a histogram may have (each series carries every bucket)"
                    : null;
        };
    }
}
