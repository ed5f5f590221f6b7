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
    private volatile SeriesPlan plan;

    PlannedFamily(FamilyMetadata metadata, KeyDecoder decoder, SeriesLimit limit, LabelSet overflowLabels) {
        this.metadata = metadata;
        this.decoder = decoder;
        this.limit = limit;
        this.overflowLabels = overflowLabels;
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
}
