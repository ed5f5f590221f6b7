package dev.ebpfexporter.exposition;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A counter, gauge or untyped family: one value per series.
 *
 * @param labelSets series {@code 0..size-1}'s labels (the arrays may be longer than {@code size})
 */
public record Samples(FamilyMetadata metadata, LabelSet[] labelSets, double[] values, int size) implements Family {
    public Samples {
        if (metadata.type() == MetricType.HISTOGRAM || metadata.type() == MetricType.SUMMARY) {
            throw new IllegalArgumentException(metadata.name() + ": a " + metadata.type() + " is not a sample family");
        }
        if (labelSets.length < size || values.length < size) {
            throw new IllegalArgumentException(metadata.name() + ": fewer labels or values than " + size + " series");
        }
    }

    @Override
    public LabelSet labels(int series) {
        return labelSets[series];
    }

    public double value(int series) {
        return values[series];
    }

    public static Builder builder(String name, String help, MetricType type) {
        return new Builder(new FamilyMetadata(name, help, type));
    }

    /** Collects a small family series by series (the exporter's own metrics). */
    public static final class Builder {
        private final FamilyMetadata metadata;
        private final List<LabelSet> labels = new ArrayList<>();
        private double[] values = new double[4];

        private Builder(FamilyMetadata metadata) {
            this.metadata = metadata;
        }

        public Builder add(double value, LabelSet labelSet) {
            if (labels.size() == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[labels.size()] = value;
            labels.add(labelSet);
            return this;
        }

        public Builder add(double value, String... namesAndValues) {
            return add(value, LabelSet.of(namesAndValues));
        }

        public Samples build() {
            return new Samples(metadata, labels.toArray(LabelSet[]::new), values, labels.size());
        }
    }
}
