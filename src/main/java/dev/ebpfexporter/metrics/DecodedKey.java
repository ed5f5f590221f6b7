package dev.ebpfexporter.metrics;

import dev.ebpfexporter.exposition.LabelSet;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * What one raw map key decodes to: its exposed labels and, for histograms, its bucket key.
 * Kept in the decode cache; {@code lastSeen} is the scrape generation that last met the key.
 * The labels' encoded form for the writers is made once, on the first scrape that exposes the key.
 */
final class DecodedKey {

    final Labels labels;
    final double bucket;
    volatile long lastSeen;
    private volatile LabelSet labelSet;
    /** Per-CPU series of this key: its labels plus {@code cpu}, by CPU. */
    private volatile LabelSet[] perCpu;

    DecodedKey(Labels labels, double bucket) {
        this.labels = labels;
        this.bucket = bucket;
    }

    /** A key a decoder chose to drop; cached like any other so the decision is made once. */
    static DecodedKey skipped() {
        return new DecodedKey(null, Double.NaN);
    }

    boolean isSkipped() {
        return labels == null;
    }

    LabelSet labelSet() {
        LabelSet encoded = labelSet;
        if (encoded == null) {
            encoded = of(labels);
            labelSet = encoded;
        }
        return encoded;
    }

    /** This key's labels with {@code cpu="<cpu>"} added. */
    LabelSet labelSet(int cpu, int cpus) {
        LabelSet[] sets = perCpu;
        if (sets == null || sets.length < cpus) {
            sets = new LabelSet[cpus];
            perCpu = sets;
        }
        LabelSet encoded = sets[cpu];
        if (encoded == null) {
            encoded = of(labels.add("cpu", CpuLabels.of(cpu)));
            sets[cpu] = encoded;
        }
        return encoded;
    }

    static LabelSet of(Labels labels) {
        return LabelSet.of(labels.size(), labels::getName, labels::getValue);
    }
}
