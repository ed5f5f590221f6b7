package dev.ebpfexporter.exposition;

/**
 * A summary family (the JVM's garbage collection times): per series a count, a sum and a value
 * per quantile.
 *
 * @param quantileValues {@code quantileValues[series * quantiles.length + q]}
 */
public record Summaries(FamilyMetadata metadata, LabelSet[] labelSets, int size, long[] counts, double[] sums,
                        double[] quantiles, double[] quantileValues) implements Family {
    public Summaries {
        if (metadata.type() != MetricType.SUMMARY) {
            throw new IllegalArgumentException(metadata.name() + ": a " + metadata.type() + " is not a summary");
        }
        if (labelSets.length < size || counts.length < size || sums.length < size
                || quantileValues.length < (long) size * quantiles.length) {
            throw new IllegalArgumentException(metadata.name() + ": fewer labels, counts or sums than " + size + " series");
        }
    }

    @Override
    public LabelSet labels(int series) {
        return labelSets[series];
    }
}
