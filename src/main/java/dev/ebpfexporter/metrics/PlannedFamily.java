package dev.ebpfexporter.metrics;

import dev.ebpfexporter.bpf.MapEntries;
import dev.ebpfexporter.exposition.FamilyMetadata;

/**
 * What counter and histogram families share: a metric's metadata, its key decoder and series
 * limit, and the {@link SeriesPlan} that is rebuilt only when the map's key set changed.
 */
abstract sealed class PlannedFamily permits CounterFamily, HistogramFamily {
    final FamilyMetadata metadata;
    final KeyDecoder decoder;
    final SeriesLimit limit;
    private volatile SeriesPlan plan;

    PlannedFamily(FamilyMetadata metadata, KeyDecoder decoder, SeriesLimit limit) {
        this.metadata = metadata;
        this.decoder = decoder;
        this.limit = limit;
    }

    /** The plan for {@code entries}' keys (last scrape's when they did not change), its drops counted. */
    final SeriesPlan currentPlan(MapEntries entries) {
        SeriesPlan current = plan;
        if (current == null || !current.matches(entries)) {
            current = plan(entries);
            plan = current;
        }
        limit.drop(current.dropped);
        return current;
    }

    /** Decodes every key (through the cache), assigns series under the limit, and evicts keys that left. */
    abstract SeriesPlan plan(MapEntries entries);
}
