package dev.ebpfexporter.exposition;

/**
 * One metric family of a scrape, held column-wise (arrays indexed by series) so that a family of
 * 100k series is a few arrays, not 100k objects. Series are in the order they are written.
 */
public sealed interface Family permits Samples, Histograms, Summaries {
    FamilyMetadata metadata();

    /** Series in this family. */
    int size();

    LabelSet labels(int series);
}
