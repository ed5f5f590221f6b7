package dev.ebpfexporter.metrics;

import dev.ebpfexporter.bpf.MapEntries;
import dev.ebpfexporter.exposition.Family;
import dev.ebpfexporter.exposition.FamilyMetadata;
import dev.ebpfexporter.exposition.LabelSet;

import java.util.function.Function;

/**
 * What counter and histogram families share: a metric's metadata, its key decoder and series
 * limit, and the {@link SeriesPlan} that is rebuilt only when the map's key set changed.
 */
abstract sealed class PlannedFamily implements Function<MapEntries, Family> permits CounterFamily, HistogramFamily {
    final FamilyMetadata metadata;
    final KeyDecoder decoder;
    final SeriesLimit limit;
    /** The labels of the series that takes what the limit cuts, or null when the metric has none. */
    final LabelSet overflowLabels;
    /** One series per CPU of a per-CPU map (the metric's last label is {@code cpu}). */
    final boolean seriesPerCpu;
    private volatile SeriesPlan plan;

    PlannedFamily(FamilyMetadata metadata, KeyDecoder decoder, boolean seriesPerCpu, SeriesLimit limit,
                  LabelSet overflowLabels) {
        this.metadata = metadata;
        this.decoder = decoder;
        this.seriesPerCpu = seriesPerCpu;
        this.limit = limit;
        this.overflowLabels = overflowLabels;
    }

    /** Series per key: the map's CPUs when there is one series per CPU, else 1. */
    final int fanout(MapEntries entries) {
        return seriesPerCpu ? entries.cpus() : 1;
    }

    /** This scrape's family from {@code entries}. */
    abstract Family snapshot(MapEntries entries);

    @Override
    public final Family apply(MapEntries entries) {
        return snapshot(entries);
    }

    /** The plan for {@code entries}' keys (last scrape's when they did not change), its drops counted. */
    final SeriesPlan currentPlan(MapEntries entries) {
        SeriesPlan current = planFor(entries);
        limit.drop(current.dropped);
        return current;
    }

    /** The plan for {@code entries}' keys, nothing counted: last scrape's when they did not change. */
    final SeriesPlan planFor(MapEntries entries) {
        SeriesPlan current = plan;
        if (current == null || !current.matches(entries)) {
            current = plan(entries);
            plan = current;
        }
        return current;
    }

    /** Decodes every key (through the cache), assigns series under the limit, and evicts keys that left. */
    abstract SeriesPlan plan(MapEntries entries);

    /**
     * One plan being built, what counters and histograms do alike: keys decoded through the cache in
     * this scrape's generation and counted (failed or seen), labels per CPU or per key, and at the
     * end the keys no longer seen evicted.
     */
    final class Planning {
        final MapEntries entries;
        final int count;
        final int fanout;
        /** Series of key {@code i} on CPU {@code cpu} at {@code i * fanout + cpu} (-1: none), filled by the caller. */
        final int[] seriesOf;
        final SeriesPlan.Builder builder;
        private final long scrape;
        private int distinct;

        Planning(MapEntries entries) {
            this.scrape = decoder.nextGeneration();
            this.entries = entries;
            this.count = entries.count();
            this.fanout = fanout(entries);
            this.seriesOf = new int[count * fanout];
            this.builder = new SeriesPlan.Builder(limit, count * fanout, overflowLabels);
        }

        /** Key {@code i} decoded, or null when decoding failed (counted as a failure). */
        DecodedKey key(int i) {
            DecodedKey key = decoder.lookup(entries.keys(), i * entries.keySize(), scrape);
            if (key == null) {
                builder.failed();
            } else {
                distinct++;
            }
            return key;
        }

        /** The series of {@code key}'s labels on {@code cpu} (the key's own when series are not per CPU). */
        int series(DecodedKey key, int cpu) {
            return builder.series(seriesPerCpu ? key.labelSet(cpu, fanout) : key.labelSet());
        }

        /** The plan, once the keys this scrape did not see are evicted from the cache. */
        SeriesPlan build(int[] slotOf) {
            decoder.evictUnseen(scrape, distinct);
            return builder.build(entries, seriesOf, slotOf);
        }
    }
}
