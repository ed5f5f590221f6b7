package dev.ebpfexporter.config;

import java.time.Duration;
import java.util.List;

/** A counter read from a BPF map (or counted from a perf event array's events). */
public record CounterConfig(String name, String map, String help, List<LabelConfig> labels, boolean perfEventArray,
                            Duration flushInterval, Source source) implements MetricConfig {
    public CounterConfig {
        labels = List.copyOf(labels);
    }
}
