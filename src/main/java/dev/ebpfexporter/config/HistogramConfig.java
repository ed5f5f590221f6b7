package dev.ebpfexporter.config;

import java.util.List;

/**
 * A histogram read from a BPF map; the last label is the bucket index.
 *
 * @param bucketKeys      for {@link BucketType#FIXED}: the keys that hold buckets, ascending
 * @param nativeHistogram {@code native_histogram}: whether exp2 buckets are served as a native histogram too;
 *                        null when the config does not say (then {@code --metrics.native-histograms} decides)
 * @param series          {@code expire_after} and {@code overflow_series}
 */
public record HistogramConfig(String name, String map, String help, BucketType bucketType, double bucketMultiplier,
                              int bucketMin, int bucketMax, List<Double> bucketKeys, List<LabelConfig> labels,
                              Boolean nativeHistogram, SeriesOptions series, Source source) implements MetricConfig {
    /** A histogram with neither expiry nor an overflow series. */
    public HistogramConfig(String name, String map, String help, BucketType bucketType, double bucketMultiplier,
                           int bucketMin, int bucketMax, List<Double> bucketKeys, List<LabelConfig> labels,
                           Boolean nativeHistogram, Source source) {
        this(name, map, help, bucketType, bucketMultiplier, bucketMin, bucketMax, bucketKeys, labels, nativeHistogram,
                SeriesOptions.NONE, source);
    }

    /** A histogram that leaves native histograms to the flag. */
    public HistogramConfig(String name, String map, String help, BucketType bucketType, double bucketMultiplier,
                           int bucketMin, int bucketMax, List<Double> bucketKeys, List<LabelConfig> labels,
                           Source source) {
        this(name, map, help, bucketType, bucketMultiplier, bucketMin, bucketMax, bucketKeys, labels, null,
                SeriesOptions.NONE, source);
    }

    public HistogramConfig {
        bucketKeys = List.copyOf(bucketKeys);
        labels = List.copyOf(labels);
    }
}
