package dev.ebpfexporter.metrics;

import dev.ebpfexporter.bpf.MapEntries;
import dev.ebpfexporter.exposition.FamilyMetadata;
import dev.ebpfexporter.exposition.Histograms;
import dev.ebpfexporter.exposition.NativeLayout;

/**
 * Turns a histogram map's entries into a histogram family. The last label of each key is the
 * bucket key; the other labels pick the series. Each series gets every configured bucket
 * (backfilled), the sum comes from the key after the last bucket, and keys that decode alike add up.
 */
final class HistogramFamily extends PlannedFamily {
    private final HistogramBuckets buckets;
    private final int sumSlot;
    private final double[] bounds;
    private final NativeLayout nativeLayout;

    /** @param nativeLayout null for classic buckets only */
    HistogramFamily(FamilyMetadata metadata, KeyDecoder decoder, HistogramBuckets buckets, NativeLayout nativeLayout,
                    SeriesLimit limit) {
        super(metadata, decoder, limit);
        this.buckets = buckets;
        this.nativeLayout = nativeLayout;
        this.sumSlot = buckets.size() + 1;
        this.bounds = buckets.boundsWithInf();
    }

    /** Per-series counts: one slot per bucket, then +Inf (always 0: out-of-range keys are ignored); sums apart. */
    Histograms snapshot(MapEntries entries) {
        SeriesPlan current = currentPlan(entries);
        int stride = bounds.length;
        int series = current.series();
        long[] counts = new long[series * stride];
        long[] rawSums = new long[series];
        int[] seriesOf = current.seriesOf;
        int[] slotOf = current.slotOf;
        for (int i = 0; i < entries.count(); i++) {
            int s = seriesOf[i];
            if (s >= 0) {
                int slot = slotOf[i];
                if (slot == sumSlot) {
                    rawSums[s] += entries.u64Sum(i);
                } else {
                    counts[s * stride + slot] += entries.u64Sum(i);
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
        long scrape = decoder.nextGeneration();
        int count = entries.count();
        int[] seriesOf = new int[count];
        int[] slotOf = new int[count];
        SeriesPlan.Builder builder = new SeriesPlan.Builder(limit, count);
        int keySize = entries.keySize();
        byte[] keys = entries.keys();
        int distinct = 0;
        for (int i = 0; i < count; i++) {
            seriesOf[i] = -1;
            DecodedKey key = decoder.lookup(keys, i * keySize, scrape);
            if (key == null) {
                builder.failed();
                continue;
            }
            distinct++;
            if (key.isSkipped()) {
                continue;
            }
            int index = buckets.indexOf(key.bucket);
            boolean isSum = index < 0 && buckets.isSumKey(key.bucket);
            if (index < 0 && !isSum) {
                continue;
            }
            seriesOf[i] = builder.series(key.labelSet());
            slotOf[i] = isSum ? sumSlot : index;
        }
        decoder.evictUnseen(scrape, distinct);
        return builder.build(entries, seriesOf, slotOf);
    }
}
