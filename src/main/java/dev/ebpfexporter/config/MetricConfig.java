package dev.ebpfexporter.config;

import java.util.List;

/** What counters and histograms share: a name, the map it reads, help and key labels. */
public sealed interface MetricConfig permits CounterConfig, HistogramConfig {
    String name();

    /** The BPF map the metric reads: the metric's own name in v2 configs, {@code table:} in inline ones. */
    String map();

    String help();

    List<LabelConfig> labels();

    Source source();

    /** {@code expire_after} and {@code overflow_series}. */
    SeriesOptions series();

    /** Total key width the labels describe, padding included. */
    default int keySize() {
        return labels().stream().mapToInt(LabelConfig::width).sum();
    }
}
