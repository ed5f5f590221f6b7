package dev.ebpfexporter.metrics;

import dev.ebpfexporter.bpf.MapEntries;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricMetadata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a histogram map's entries into a histogram snapshot. The last label of each key is the
 * bucket key; the other labels pick the series. Each series gets every configured bucket
 * (backfilled), the sum comes from the key after the last bucket, and keys that decode alike add up.
 */
final class HistogramFamily extends PlannedFamily {
    private final HistogramBuckets buckets;
    private final int sumSlot;
    private final double[] bounds;

    HistogramFamily(MetricMetadata metadata, KeyDecoder decoder, HistogramBuckets buckets, SeriesLimit limit) {
        super(metadata, decoder, limit);
        this.buckets = buckets;
        this.sumSlot = buckets.size() + 1;
        this.bounds = buckets.boundsWithInf();
    }

    /** Per-series counts: one slot per bucket, then +Inf (always 0: out-of-range keys are ignored), then the raw sum. */
    HistogramSnapshot snapshot(MapEntries entries) {
        SeriesPlan current = currentPlan(entries);
        int stride = sumSlot + 1;
        long[] counts = new long[current.series() * stride];
        int[] seriesOf = current.seriesOf;
        int[] slotOf = current.slotOf;
        for (int i = 0; i < entries.count(); i++) {
            int series = seriesOf[i];
            if (series >= 0) {
                counts[series * stride + slotOf[i]] += entries.u64Sum(i);
            }
        }
        List<HistogramDataPointSnapshot> points = new ArrayList<>(current.series());
        for (int s = 0; s < current.series(); s++) {
            int from = s * stride;
            CachedPoint point = current.points[s] instanceof CachedPoint last
                    && Arrays.equals(last.counts, 0, stride, counts, from, from + stride) ? last : null;
            if (point == null) {
                long[] bucketCounts = Arrays.copyOfRange(counts, from, from + sumSlot);
                double sum = counts[from + sumSlot] * buckets.multiplier();
                point = new CachedPoint(Arrays.copyOfRange(counts, from, from + stride),
                        new HistogramDataPointSnapshot(ClassicHistogramBuckets.of(bounds, bucketCounts), sum,
                                current.labels[s], Exemplars.EMPTY, 0L));
                current.points[s] = point;
            }
            points.add(point.point);
        }
        return SortedSnapshots.histogram(metadata, points);
    }

    /** A series' raw counts and the data point built from them. */
    private record CachedPoint(long[] counts, HistogramDataPointSnapshot point) {
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
            seriesOf[i] = builder.series(key.labels);
            slotOf[i] = isSum ? sumSlot : index;
        }
        decoder.evictUnseen(scrape, distinct);
        return builder.build(entries, seriesOf, slotOf);
    }
}
