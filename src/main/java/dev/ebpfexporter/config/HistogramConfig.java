package dev.ebpfexporter.config;

import java.util.List;

/**
 * A histogram read from a BPF map; the last label is the bucket index.
 *
 * @param bucketKeys for {@link BucketType#FIXED}: the keys that hold buckets, ascending
 */
public record HistogramConfig(String name, String map, String help, BucketType bucketType, double bucketMultiplier,
                              int bucketMin, int bucketMax, List<Double> bucketKeys, List<LabelConfig> labels,
                              Source source) implements MetricConfig {
    public HistogramConfig {
        bucketKeys = List.copyOf(bucketKeys);
        labels = List.copyOf(labels);
    }
}
