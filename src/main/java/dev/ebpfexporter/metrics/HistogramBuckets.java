package dev.ebpfexporter.metrics;

import dev.ebpfexporter.config.BucketType;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.HistogramConfig;
import dev.ebpfexporter.config.HistogramLimits;
import dev.ebpfexporter.exposition.NativeLayout;

import java.util.Arrays;

/**
 * The buckets a histogram config promises: which map bucket keys count, the upper bound ({@code le})
 * of each, and the key that holds the sum. Built once per metric; every series gets all buckets,
 * backfilled with zero, so Prometheus sees a consistent set. Keys outside the configured range are
 * ignored, as the reference does.
 */
public final class HistogramBuckets {
    private final double[] keys;
    private final double[] upperBounds;
    private final double sumKey;
    private final double multiplier;
    private final boolean contiguous;
    private final NativeLayout nativeLayout;
    private final String notNative;

    private HistogramBuckets(double[] keys, double[] upperBounds, double sumKey, double multiplier, boolean contiguous,
                             NativeLayout nativeLayout, String notNative) {
        this.keys = keys;
        this.upperBounds = upperBounds;
        this.sumKey = sumKey;
        this.multiplier = multiplier;
        this.contiguous = contiguous;
        this.nativeLayout = nativeLayout;
        this.notNative = notNative;
    }

    public static HistogramBuckets of(HistogramConfig config) throws ConfigException {
        // The reference treats a zero (unset) multiplier as 1.
        double multiplier = config.bucketMultiplier() == 0 ? 1 : config.bucketMultiplier();
        String tooMany = HistogramLimits.problem(config.bucketType(), config.bucketMin(), config.bucketMax(),
                config.bucketKeys().size());
        if (tooMany != null) {
            throw new ConfigException(config.source(), "histogram " + config.name() + ": " + tooMany);
        }
        if (config.bucketType() == BucketType.FIXED) {
            double[] keys = config.bucketKeys().stream().mapToDouble(Double::doubleValue).toArray();
            if (keys.length == 0) {
                throw new ConfigException(config.source(), "histogram " + config.name() + ": bucket_type fixed needs bucket_keys");
            }
            for (int i = 1; i < keys.length; i++) {
                if (keys[i] <= keys[i - 1]) {
                    throw new ConfigException(config.source(), "histogram " + config.name() + ": bucket_keys must be ascending");
                }
            }
            double[] bounds = Arrays.stream(keys).map(k -> k * multiplier).toArray();
            return new HistogramBuckets(keys, bounds, keys[keys.length - 1] + 1, multiplier, false, null,
                    "bucket_type fixed has buckets of its own bounds");
        }
        int min = config.bucketMin();
        int max = config.bucketMax();
        if (max <= min) {
            throw new ConfigException(config.source(), "histogram " + config.name() + ": bucket_max (" + max
                    + ") must be greater than bucket_min (" + min + ")");
        }
        double[] keys = new double[max - min + 1];
        double[] bounds = new double[keys.length];
        for (int i = 0; i < keys.length; i++) {
            int key = min + i;
            keys[i] = key;
            bounds[i] = switch (config.bucketType()) {
                case EXP2 -> Math.pow(2, key) * multiplier;
                case EXP2ZERO -> key == 0 ? 0 : Math.pow(2, key - 1) * multiplier;
                case LINEAR -> key * multiplier;
                case FIXED -> throw new IllegalStateException("handled above");
            };
        }
        for (int i = 1; i < bounds.length; i++) {
            if (bounds[i] <= bounds[i - 1]) {
                throw new ConfigException(config.source(), "histogram " + config.name()
                        + ": bucket bounds are not increasing at bucket key " + keys[i]);
            }
        }
        String notNative = notNative(config.bucketType(), multiplier);
        NativeLayout layout = null;
        if (notNative == null) {
            // exp2: key k is (2^(k-1), 2^k] times the multiplier; exp2zero: key 0 is the zero bucket, key k is 2^(k-1).
            boolean zeroBucket = config.bucketType() == BucketType.EXP2ZERO && min == 0;
            int firstKey = zeroBucket ? 1 : min;
            int firstExponent = (config.bucketType() == BucketType.EXP2ZERO ? firstKey - 1 : firstKey)
                    + Math.getExponent(multiplier);
            int lastExponent = firstExponent + (max - firstKey);
            if (firstExponent <= -128 || lastExponent > 1023) {
                notNative = "its bounds 2^" + firstExponent + " to 2^" + lastExponent
                        + " reach outside (2^-128, 2^1023], where exponential buckets are kept";
            } else {
                layout = new NativeLayout(firstExponent, zeroBucket);
            }
        }
        return new HistogramBuckets(keys, bounds, max + 1, multiplier, true, layout, notNative);
    }

    /** Why buckets of this type and multiplier cannot be exponential ones exactly, or null when they can. */
    private static String notNative(BucketType type, double multiplier) {
        return switch (type) {
            case LINEAR -> "bucket_type linear has evenly spaced bounds, not powers of two";
            case FIXED -> "bucket_type fixed has buckets of its own bounds";
            case EXP2, EXP2ZERO -> multiplier > 0 && multiplier == Math.scalb(1.0, Math.getExponent(multiplier))
                    ? null
                    : "bucket_multiplier " + plain(multiplier) + " is not a power of two, so its bounds are not powers of two";
        };
    }

    private static String plain(double value) {
        return new java.math.BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    /**
     * How the buckets are an exponential histogram of schema 0, exactly; null when they are not (see
     * {@link #notNative()}).
     */
    public NativeLayout nativeLayout() {
        return nativeLayout;
    }

    /** Why {@link #nativeLayout()} is null, or null when it is not. */
    public String notNative() {
        return notNative;
    }

    public int size() {
        return keys.length;
    }

    public double upperBound(int index) {
        return upperBounds[index];
    }

    /** The bucket index for a map bucket key, or -1 when the key is outside the configured buckets. */
    public int indexOf(double key) {
        if (contiguous) {
            double offset = key - keys[0];
            if (offset < 0 || offset >= keys.length || offset != Math.rint(offset)) {
                return -1;
            }
            return (int) offset;
        }
        int index = Arrays.binarySearch(keys, key);
        return index >= 0 ? index : -1;
    }

    public boolean isSumKey(double key) {
        return key == sumKey;
    }

    public double multiplier() {
        return multiplier;
    }

    /** Upper bounds followed by +Inf, as client_java's classic buckets want them. */
    public double[] boundsWithInf() {
        double[] result = Arrays.copyOf(upperBounds, upperBounds.length + 1);
        result[upperBounds.length] = Double.POSITIVE_INFINITY;
        return result;
    }
}
