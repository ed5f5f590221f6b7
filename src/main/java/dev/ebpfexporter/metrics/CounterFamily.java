package dev.ebpfexporter.metrics;

import dev.ebpfexporter.bpf.MapEntries;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a counter map's entries into a counter snapshot: each key decoded to labels, values
 * summed over CPUs (or one series per CPU when the metric's last label is {@code cpu}), and keys
 * that decode to the same labels summed.
 */
final class CounterFamily {
    private final MetricMetadata metadata;
    private final KeyDecoder decoder;
    private final boolean seriesPerCpu;
    private final SeriesLimit limit;
    private final boolean typedCounter;
    private final int valueOffset;

    /**
     * @param typedCounter false for counters whose configured name lacks {@code _total}: client_java
     *                     would append it, so they are written untyped under their exact name instead
     */
    CounterFamily(MetricMetadata metadata, boolean typedCounter, KeyDecoder decoder, boolean seriesPerCpu,
                  SeriesLimit limit) {
        this(metadata, typedCounter, decoder, seriesPerCpu, limit, 0);
    }

    /** @param valueOffset where this counter's u64 sits in each value (multi-value counters: 8 * index) */
    CounterFamily(MetricMetadata metadata, boolean typedCounter, KeyDecoder decoder, boolean seriesPerCpu,
                  SeriesLimit limit, int valueOffset) {
        this.valueOffset = valueOffset;
        this.metadata = metadata;
        this.typedCounter = typedCounter;
        this.decoder = decoder;
        this.seriesPerCpu = seriesPerCpu;
        this.limit = limit;
    }

    MetricSnapshot snapshot(MapEntries entries) {
        long scrape = decoder.nextGeneration();
        Map<Labels, double[]> sums = new HashMap<>(Math.max(16, entries.count() * 2));
        int keySize = entries.keySize();
        byte[] keys = entries.keys();
        for (int i = 0; i < entries.count(); i++) {
            DecodedKey key = decoder.decode(keys, i * keySize, scrape);
            if (key == null) {
                continue;
            }
            if (seriesPerCpu) {
                for (int cpu = 0; cpu < entries.cpus(); cpu++) {
                    add(sums, key.labels.add("cpu", CpuLabels.of(cpu)), entries.u64(i, cpu, valueOffset));
                }
            } else if (valueOffset == 0) {
                add(sums, key.labels, entries.u64Sum(i));
            } else {
                long sum = 0;
                for (int cpu = 0; cpu < entries.cpus(); cpu++) {
                    sum += entries.u64(i, cpu, valueOffset);
                }
                add(sums, key.labels, sum);
            }
        }
        decoder.evictOlderThan(scrape);
        if (!typedCounter) {
            List<UnknownDataPointSnapshot> points = new ArrayList<>(sums.size());
            sums.forEach((labels, sum) -> points.add(new UnknownDataPointSnapshot(sum[0], labels, null)));
            return new UnknownSnapshot(metadata, points);
        }
        List<CounterDataPointSnapshot> points = new ArrayList<>(sums.size());
        sums.forEach((labels, sum) -> points.add(new CounterDataPointSnapshot(sum[0], labels, null, 0L)));
        return new CounterSnapshot(metadata, points);
    }

    private void add(Map<Labels, double[]> sums, Labels labels, long value) {
        double[] sum = sums.get(labels);
        if (sum == null) {
            if (!limit.admit(sums.size())) {
                return;
            }
            sum = new double[1];
            sums.put(labels, sum);
        }
        // u64 counters: read the bits as unsigned.
        sum[0] += value >= 0 ? value : (double) (value >>> 1) * 2.0;
    }
}
