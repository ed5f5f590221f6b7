package dev.ebpfexporter.metrics;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.config.MetricConfig;
import dev.ebpfexporter.exposition.Family;

/** A configured metric that can produce its families per scrape: read from a map, or counted from events. */
public sealed interface MetricSource permits MapMetric, EventCounter {
    MetricConfig config();

    SeriesLimit limit();

    Family collect() throws BpfException;

    /** Keys deleted from the map by {@code expire_after}; empty for a metric without it. */
    default java.util.OptionalLong expiredKeys() {
        return java.util.OptionalLong.empty();
    }

    /** Every family this source exposes (several for multi-value counters), from one read. */
    default java.util.List<Family> collectAll() throws BpfException {
        return java.util.List.of(collect());
    }
}
