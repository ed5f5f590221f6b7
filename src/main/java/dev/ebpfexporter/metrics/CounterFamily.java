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
import java.util.List;

/**
 * Turns a counter map's entries into a counter snapshot: each key decoded to labels, values
 * summed over CPUs (or one series per CPU when the metric's last label is {@code cpu}), and keys
 * that decode to the same labels summed. Keys map to series through a {@link SeriesPlan}, rebuilt
 * only when the map's key set changed.
 */
final class CounterFamily extends PlannedFamily {
    private final boolean seriesPerCpu;
    private final boolean typedCounter;
    private final int valueOffset;

    /**
     * @param typedCounter false for counters whose configured name lacks {@code _total}: client_java
     *                     would append it, so they are written untyped under their exact name instead
     * @param valueOffset  bytes into each value where this counter's u64 is (multi-value maps), else 0
     */
    CounterFamily(MetricMetadata metadata, boolean typedCounter, KeyDecoder decoder, boolean seriesPerCpu,
                  SeriesLimit limit, int valueOffset) {
        super(metadata, decoder, limit);
        this.valueOffset = valueOffset;
        this.typedCounter = typedCounter;
        this.seriesPerCpu = seriesPerCpu;
    }

    MetricSnapshot snapshot(MapEntries entries) {
        SeriesPlan current = currentPlan(entries);
        double[] sums = new double[current.series()];
        int[] seriesOf = current.seriesOf;
        int count = entries.count();
        if (seriesPerCpu) {
            int cpus = entries.cpus();
            for (int i = 0; i < count; i++) {
                for (int cpu = 0; cpu < cpus; cpu++) {
                    int series = seriesOf[i * cpus + cpu];
                    if (series >= 0) {
                        sums[series] += unsigned(entries.u64(i, cpu, valueOffset));
                    }
                }
            }
        } else {
            for (int i = 0; i < count; i++) {
                int series = seriesOf[i];
                if (series >= 0) {
                    sums[series] += unsigned(valueOffset == 0 ? entries.u64Sum(i) : sumOverCpus(entries, i));
                }
            }
        }
        return typedCounter ? counterSnapshot(current, sums) : unknownSnapshot(current, sums);
    }

    private long sumOverCpus(MapEntries entries, int index) {
        long sum = 0;
        for (int cpu = 0; cpu < entries.cpus(); cpu++) {
            sum += entries.u64(index, cpu, valueOffset);
        }
        return sum;
    }

    private static double unsigned(long value) {
        // u64 counters: read the bits as unsigned.
        return value >= 0 ? value : (double) (value >>> 1) * 2.0;
    }

    /** Data points in label order; a series whose value did not move reuses last scrape's point. */
    private MetricSnapshot counterSnapshot(SeriesPlan current, double[] sums) {
        List<CounterDataPointSnapshot> points = new ArrayList<>(sums.length);
        for (int s = 0; s < sums.length; s++) {
            CounterDataPointSnapshot point = current.points[s] instanceof CounterDataPointSnapshot last
                    && Double.doubleToRawLongBits(last.getValue()) == Double.doubleToRawLongBits(sums[s]) ? last : null;
            if (point == null) {
                point = new CounterDataPointSnapshot(sums[s], current.labels[s], null, 0L);
                current.points[s] = point;
            }
            points.add(point);
        }
        return SortedSnapshots.counter(metadata, points);
    }

    private MetricSnapshot unknownSnapshot(SeriesPlan current, double[] sums) {
        List<UnknownDataPointSnapshot> points = new ArrayList<>(sums.length);
        for (int s = 0; s < sums.length; s++) {
            UnknownDataPointSnapshot point = current.points[s] instanceof UnknownDataPointSnapshot last
                    && Double.doubleToRawLongBits(last.getValue()) == Double.doubleToRawLongBits(sums[s]) ? last : null;
            if (point == null) {
                point = new UnknownDataPointSnapshot(sums[s], current.labels[s], null);
                current.points[s] = point;
            }
            points.add(point);
        }
        return SortedSnapshots.unknown(metadata, points);
    }

    @Override
    SeriesPlan plan(MapEntries entries) {
        long scrape = decoder.nextGeneration();
        int count = entries.count();
        int fanout = seriesPerCpu ? entries.cpus() : 1;
        int[] seriesOf = new int[count * fanout];
        SeriesPlan.Builder builder = new SeriesPlan.Builder(limit, count * fanout);
        int keySize = entries.keySize();
        byte[] keys = entries.keys();
        int distinct = 0;
        for (int i = 0; i < count; i++) {
            DecodedKey key = decoder.lookup(keys, i * keySize, scrape);
            if (key == null) {
                builder.failed();
            } else {
                distinct++;
            }
            for (int cpu = 0; cpu < fanout; cpu++) {
                if (key == null || key.isSkipped()) {
                    seriesOf[i * fanout + cpu] = -1;
                } else {
                    Labels labels = seriesPerCpu ? key.labels.add("cpu", CpuLabels.of(cpu)) : key.labels;
                    seriesOf[i * fanout + cpu] = builder.series(labels);
                }
            }
        }
        decoder.evictUnseen(scrape, distinct);
        return builder.build(entries, seriesOf, null);
    }
}
