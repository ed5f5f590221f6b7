package dev.ebpfexporter.metrics;

import dev.ebpfexporter.bpf.MapEntries;
import dev.ebpfexporter.exposition.FamilyMetadata;
import dev.ebpfexporter.exposition.LabelSet;
import dev.ebpfexporter.exposition.Samples;

import java.util.Arrays;

/**
 * Turns a counter map's entries into a counter family: each key decoded to labels, values
 * summed over CPUs (or one series per CPU when the metric's last label is {@code cpu}), and keys
 * that decode to the same labels summed. Keys map to series through a {@link SeriesPlan}, rebuilt
 * only when the map's key set changed.
 */
final class CounterFamily extends PlannedFamily {
    private final int valueOffset;

    /**
     * @param valueOffset bytes into each value where this counter's u64 is (multi-value maps), else 0
     */
    CounterFamily(FamilyMetadata metadata, KeyDecoder decoder, boolean seriesPerCpu, SeriesLimit limit,
                  LabelSet overflowLabels, int valueOffset) {
        super(metadata, decoder, seriesPerCpu, limit, overflowLabels);
        this.valueOffset = valueOffset;
    }

    @Override
    Samples snapshot(MapEntries entries) {
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
        return new Samples(metadata, current.labels, sums, sums.length);
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

    @Override
    SeriesPlan plan(MapEntries entries) {
        Planning planning = new Planning(entries);
        int count = planning.count;
        int fanout = planning.fanout;
        int[] seriesOf = planning.seriesOf;
        SeriesPlan.Builder builder = planning.builder;
        for (int i = 0; i < count; i++) {
            if (builder.full()) {
                // Each key of a counter is its own series (or repeats one): once the limit is reached,
                // the rest are neither decoded nor cached, so work and memory stay bounded by the limit;
                // they go, undecoded, to the overflow series if there is one.
                Arrays.fill(seriesOf, i * fanout, count * fanout, builder.cut());
                builder.skipped((count - i) * fanout);
                break;
            }
            DecodedKey key = planning.key(i);
            for (int cpu = 0; cpu < fanout; cpu++) {
                seriesOf[i * fanout + cpu] = key == null || key.isSkipped() ? -1 : planning.series(key, cpu);
            }
        }
        return planning.build(null);
    }
}
