package dev.ebpfexporter.config;

import java.time.Duration;
import java.util.List;

/**
 * A counter read from a BPF map (or counted from a perf event array's events).
 *
 * @param flushInterval for perf_event_array counters: how often the counted set is reset; null or zero = one hour
 * @param values        when not empty, the map's value is one u64 per entry and each is its own counter
 *                      named after the entry; the metric's own name then only names the map
 * @param series        {@code expire_after} and {@code overflow_series}
 */
public record CounterConfig(String name, String map, String help, List<LabelConfig> labels, boolean perfEventArray,
                            Duration flushInterval, List<ValueConfig> values, SeriesOptions series, Source source)
        implements MetricConfig {
    public CounterConfig {
        labels = List.copyOf(labels);
        values = List.copyOf(values);
    }

    /** A counter with neither expiry nor an overflow series. */
    public CounterConfig(String name, String map, String help, List<LabelConfig> labels, boolean perfEventArray,
                         Duration flushInterval, List<ValueConfig> values, Source source) {
        this(name, map, help, labels, perfEventArray, flushInterval, values, SeriesOptions.NONE, source);
    }

    /** A counter with a single u64 value (the common case). */
    public CounterConfig(String name, String map, String help, List<LabelConfig> labels, boolean perfEventArray,
                         Duration flushInterval, Source source) {
        this(name, map, help, labels, perfEventArray, flushInterval, List.of(), SeriesOptions.NONE, source);
    }
}
