package dev.ebpfexporter.metrics;

import dev.ebpfexporter.bpf.MapEntries;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a histogram map's entries into a histogram snapshot. The last label of each key is the
 * bucket key; the other labels pick the series. Each series gets every configured bucket
 * (backfilled), the sum comes from the key after the last bucket, and keys that decode alike add up.
 */
final class HistogramFamily {
    private final MetricMetadata metadata;
    private final KeyDecoder decoder;
    private final HistogramBuckets buckets;
    private final SeriesLimit limit;

    HistogramFamily(MetricMetadata metadata, KeyDecoder decoder, HistogramBuckets buckets, SeriesLimit limit) {
        this.metadata = metadata;
        this.decoder = decoder;
        this.buckets = buckets;
        this.limit = limit;
    }

    /** Per-series counts: one slot per bucket, then +Inf (always 0: out-of-range keys are ignored), then the raw sum. */
    HistogramSnapshot snapshot(MapEntries entries) {
        long scrape = decoder.nextGeneration();
        int sumSlot = buckets.size() + 1;
        Map<Labels, long[]> series = new HashMap<>();
        int keySize = entries.keySize();
        byte[] keys = entries.keys();
        for (int i = 0; i < entries.count(); i++) {
            DecodedKey key = decoder.decode(keys, i * keySize, scrape);
            if (key == null) {
                continue;
            }
            int index = buckets.indexOf(key.bucket);
            boolean isSum = index < 0 && buckets.isSumKey(key.bucket);
            if (index < 0 && !isSum) {
                continue;
            }
            long[] counts = series.get(key.labels);
            if (counts == null) {
                if (!limit.admit(series.size())) {
                    continue;
                }
                counts = new long[sumSlot + 1];
                series.put(key.labels, counts);
            }
            counts[isSum ? sumSlot : index] += entries.u64Sum(i);
        }
        decoder.evictOlderThan(scrape);
        double[] bounds = buckets.boundsWithInf();
        List<HistogramDataPointSnapshot> points = new ArrayList<>(series.size());
        for (Map.Entry<Labels, long[]> one : series.entrySet()) {
            long[] counts = one.getValue();
            double sum = counts[sumSlot] * buckets.multiplier();
            long[] bucketCounts = java.util.Arrays.copyOf(counts, sumSlot);
            points.add(new HistogramDataPointSnapshot(ClassicHistogramBuckets.of(bounds, bucketCounts), sum,
                    one.getKey(), Exemplars.EMPTY, 0L));
        }
        return new HistogramSnapshot(metadata, points);
    }
}
