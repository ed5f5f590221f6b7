package dev.ebpfexporter.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Caps the series one metric exports per scrape, so a map that explodes (one key per pid, per
 * cgroup) cannot blow up Prometheus; what is cut is counted in
 * {@code ebpf_exporter_series_dropped_total{config,metric}}, the first cut is logged once, and the latest
 * scrape's cut is kept for the web view. Where a key is cut is decided in {@link SeriesPlan.Builder}.
 */
public final class SeriesLimit {
    public static final int DEFAULT = 100_000;
    private static final Logger LOG = LoggerFactory.getLogger(SeriesLimit.class);

    private final int max;
    private final String owner;
    private final LongAdder dropped = new LongAdder();
    private final AtomicBoolean logged = new AtomicBoolean();
    private volatile int lastCut;

    public SeriesLimit(int max) {
        this(max, "a metric");
    }

    /** @param owner the metric in the log line: {@code file:line: metric name} */
    public SeriesLimit(int max, String owner) {
        this.max = max;
        this.owner = owner;
    }

    /** Whether a new series may be added to a snapshot that already has {@code current} series. */
    boolean admit(int current) {
        if (current < max) {
            return true;
        }
        dropped.increment();
        logFirstCut(1);
        return false;
    }

    /** Counts {@code series} cut from one scrape (0: none), and remembers them as the latest scrape's cut. */
    void drop(int series) {
        lastCut = series;
        if (series > 0) {
            dropped.add(series);
            logFirstCut(series);
        }
    }

    private void logFirstCut(int series) {
        if (logged.compareAndSet(false, true)) {
            LOG.warn("{}: over the series limit of {} (--metrics.series-limit): {} series cut from the scrape, and"
                    + " cut from every scrape while the map holds them; counted in ebpf_exporter_series_dropped_total"
                    + " and shown on / (logged once per metric)", owner, max, series);
        }
    }

    public long dropped() {
        return dropped.sum();
    }

    /** Series the latest scrape cut (0 when it cut none, or for event counters, which count new series one by one). */
    public int lastCut() {
        return lastCut;
    }

    public int max() {
        return max;
    }
}
