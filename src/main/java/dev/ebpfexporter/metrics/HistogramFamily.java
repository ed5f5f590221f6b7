package dev.ebpfexporter.metrics;

import dev.ebpfexporter.bpf.MapEntries;
import dev.ebpfexporter.exposition.FamilyMetadata;
import dev.ebpfexporter.exposition.Histograms;
import dev.ebpfexporter.exposition.LabelSet;
import dev.ebpfexporter.exposition.NativeLayout;

import java.util.Arrays;

/**
 * Turns a histogram map's entries into a histogram family. The last label of each key is the
 * bucket key; the other labels pick the series. Each series gets every configured bucket
 * (backfilled), the sum comes from the key after the last bucket, and keys that decode alike add up.
 * A per-CPU map's buckets are summed over CPUs, or, when the metric's last label is {@code cpu}, kept
 * apart as one series per CPU.
 */
final class HistogramFamily extends PlannedFamily {
    private final HistogramBuckets buckets;
    private final int sumSlot;
    private final double[] bounds;
    private final NativeLayout nativeLayout;

    /**
     * @param nativeLayout null for classic buckets only
     * @param seriesPerCpu one series per CPU of a per-CPU map (its last label is {@code cpu})
     */
    HistogramFamily(FamilyMetadata metadata, KeyDecoder decoder, HistogramBuckets buckets, NativeLayout nativeLayout,
                    boolean seriesPerCpu, SeriesLimit limit, LabelSet overflowLabels) {
        super(metadata, decoder, seriesPerCpu, limit, overflowLabels);
        this.buckets = buckets;
        this.nativeLayout = nativeLayout;
        this.sumSlot = buckets.size() + 1;
        this.bounds = buckets.boundsWithInf();
    }

    /** Per-series counts: one slot per bucket, then +Inf (always 0: out-of-range keys are ignored); sums apart. */
    @Override
    Histograms snapshot(MapEntries entries) {
        SeriesPlan current = currentPlan(entries);
        int stride = bounds.length;
        int series = current.series();
        long[] counts = new long[series * stride];
        long[] rawSums = new long[series];
        int[] seriesOf = current.seriesOf;
        int[] slotOf = current.slotOf;
        int fanout = fanout(entries);
        for (int i = 0; i < entries.count(); i++) {
            int slot = slotOf[i];
            for (int cpu = 0; cpu < fanout; cpu++) {
                int s = seriesOf[i * fanout + cpu];
                if (s >= 0) {
                    long value = seriesPerCpu ? entries.u64(i, cpu, 0) : entries.u64Sum(i);
                    if (slot == sumSlot) {
                        rawSums[s] += value;
                    } else {
                        counts[s * stride + slot] += value;
                    }
                }
            }
        }
        double[] sums = new double[series];
        for (int s = 0; s < series; s++) {
            sums[s] = rawSums[s] * buckets.multiplier();
        }
        return new Histograms(metadata, current.labels, series, bounds, counts, sums, nativeLayout);
    }

    @Override
    SeriesPlan plan(MapEntries entries) {
        Planning planning = new Planning(entries);
        int fanout = planning.fanout;
        int[] seriesOf = planning.seriesOf;
        Arrays.fill(seriesOf, -1);
        int[] slotOf = new int[planning.count];
        for (int i = 0; i < planning.count; i++) {
            DecodedKey key = planning.key(i);
            if (key == null || key.isSkipped()) {
                continue;
            }
            int index = buckets.indexOf(key.bucket);
            boolean isSum = index < 0 && buckets.isSumKey(key.bucket);
            if (index < 0 && !isSum) {
                continue;
            }
            for (int cpu = 0; cpu < fanout; cpu++) {
                seriesOf[i * fanout + cpu] = planning.series(key, cpu);
            }
            slotOf[i] = isSum ? sumSlot : index;
        }
        return planning.build(slotOf);
    }
}
