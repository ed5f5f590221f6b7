package dev.ebpfexporter.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * Caps the series one metric exports per scrape, so a map that explodes (one key per pid, per
 * cgroup) cannot blow up Prometheus; what is cut is counted in
 * {@code ebpf_exporter_series_dropped_total{config,metric}}.
 */
public final class SeriesLimit {
    public static final int DEFAULT = 100_000;

    private final int max;
    private final LongAdder dropped = new LongAdder();

    public SeriesLimit(int max) {
        this.max = max;
    }

    /** Whether a new series may be added to a snapshot that already has {@code current} series. */
    boolean admit(int current) {
        if (current < max) {
            return true;
        }
        dropped.increment();
        return false;
    }

    /** Counts {@code series} cut from one scrape. */
    void drop(int series) {
        if (series > 0) {
            dropped.add(series);
        }
    }

    public long dropped() {
        return dropped.sum();
    }

    public int max() {
        return max;
    }
}
