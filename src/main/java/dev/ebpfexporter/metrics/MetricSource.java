package dev.ebpfexporter.metrics;

import dev.ebpfexporter.bpf.BpfException;
import dev.ebpfexporter.config.MetricConfig;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** A configured metric that can produce a snapshot per scrape: read from a map, or counted from events. */
public sealed interface MetricSource permits MapMetric, EventCounter {
    MetricConfig config();

    SeriesLimit limit();

    MetricSnapshot collect() throws BpfException;

    /** Every family this source exposes (several for multi-value counters), from one read. */
    default java.util.List<MetricSnapshot> collectAll() throws BpfException {
        return java.util.List.of(collect());
    }
}
