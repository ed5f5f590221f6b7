package dev.ebpfexporter.view;

import dev.ebpfexporter.collector.ExporterView;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Takes samples of the exporter on demand, at most one per {@link #PERIOD}: a viewer's poll reads
 * the maps only when the last sample is older than that, so any number of open pages cost one
 * read per period, and nobody looking costs nothing. Each sample adds a column to the heatmap
 * history. Everything is read and rendered under one lock. Samples nobody reads for
 * {@link #IDLE} are dropped, so a page opened once does not keep a scrape's worth of snapshots.
 */
final class Sampler {
    static final Duration PERIOD = Duration.ofSeconds(2);
    /** Samples unread this long are dropped (the heatmap history stays): nobody is looking. */
    static final Duration IDLE = Duration.ofMinutes(2);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The latest sample, the one before it (for rates), and the history, as one consistent state. */
    record State(Sample latest, Sample previous, HeatmapHistory history) {
    }

    private final Supplier<List<ExporterView.Config>> configs;
    private final Supplier<List<MetricSnapshot>> metrics;
    private final LongSupplier nanoClock;
    private final LongSupplier wallClock;
    private final long periodNanos;
    private final HeatmapHistory history = new HeatmapHistory();
    private Sample latest;
    private Sample previous;
    private long seq;
    private long lastRead;
    private boolean releaseScheduled;

    Sampler(Supplier<List<ExporterView.Config>> configs, Supplier<List<MetricSnapshot>> metrics, Duration period,
            LongSupplier nanoClock, LongSupplier wallClock) {
        this.configs = configs;
        this.metrics = metrics;
        this.periodNanos = period.toNanos();
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
    }

    Sampler(ExporterView source) {
        this(source::configs, source::metrics, PERIOD, System::nanoTime, System::currentTimeMillis);
    }

    /** Applies {@code reader} to the current state, sampling first when the latest sample is a period old. */
    synchronized <T> T read(Function<State, T> reader) {
        long now = nanoClock.getAsLong();
        lastRead = now;
        if (latest == null || now - latest.nanoTime() >= periodNanos) {
            take(now);
        }
        if (!releaseScheduled) {
            releaseScheduled = true;
            Thread.ofVirtual().name("view-release").start(this::releaseWhenIdle);
        }
        return reader.apply(new State(latest, previous, history));
    }

    /** Waits until nobody has read for {@link #IDLE}, then drops the samples (a virtual thread: no OS thread). */
    private void releaseWhenIdle() {
        try {
            while (!releaseIfIdle()) {
                Thread.sleep(IDLE.toMillis() / 4);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Drops the two samples when unread for {@link #IDLE}; returns whether it did. */
    synchronized boolean releaseIfIdle() {
        if (nanoClock.getAsLong() - lastRead < IDLE.toNanos()) {
            return false;
        }
        latest = null;
        previous = null;
        releaseScheduled = false;
        return true;
    }

    private void take(long now) {
        long cpu = THREADS.getCurrentThreadCpuTime();
        List<ExporterView.Config> readConfigs = configs.get();
        List<MetricSnapshot> readMetrics = metrics.get();
        Sample sample = new Sample(++seq, wallClock.getAsLong(), now, readConfigs, readMetrics,
                THREADS.getCurrentThreadCpuTime() - cpu);
        if (latest != null) {
            history.record(sample.seq(), sample.epochMillis(), sample.epochMillis() - latest.epochMillis(),
                    deltas(histogramCounts(latest), histogramCounts(sample)));
        }
        previous = latest;
        latest = sample;
    }

    private static Map<String, long[]> deltas(Map<String, long[]> before, Map<String, long[]> after) {
        Map<String, long[]> result = new HashMap<>();
        for (var entry : after.entrySet()) {
            long[] now = entry.getValue();
            long[] then = before.get(entry.getKey());
            long[] gained = new long[now.length];
            for (int i = 0; i < now.length; i++) {
                // A series that is new, or went down (the map was cleared), counts from zero.
                gained[i] = then == null || then.length != now.length || now[i] < then[i] ? now[i] : now[i] - then[i];
            }
            result.put(entry.getKey(), gained);
        }
        return result;
    }

    /** Per-bucket counts of every histogram series in {@code sample}, by {@link #seriesKey}. */
    static Map<String, long[]> histogramCounts(Sample sample) {
        Map<String, long[]> result = new HashMap<>();
        for (MetricSnapshot snapshot : sample.metrics()) {
            if (snapshot instanceof HistogramSnapshot histogram) {
                for (var point : histogram.getDataPoints()) {
                    ClassicHistogramBuckets buckets = point.getClassicBuckets();
                    long[] counts = new long[buckets.size()];
                    for (int i = 0; i < counts.length; i++) {
                        counts[i] = buckets.getCount(i);
                    }
                    result.put(seriesKey(histogram.getMetadata().getName(), point.getLabels()), counts);
                }
            }
        }
        return result;
    }

    /** {@code name{label="value",...}}: one series of one metric. */
    static String seriesKey(String metric, Labels labels) {
        return metric + "{" + labelText(labels) + "}";
    }

    /** {@code label="value",...} as the text exposition writes labels (values unescaped). */
    static String labelText(Labels labels) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < labels.size(); i++) {
            text.append(i == 0 ? "" : ",").append(labels.getName(i)).append("=\"").append(labels.getValue(i)).append('"');
        }
        return text.toString();
    }
}
