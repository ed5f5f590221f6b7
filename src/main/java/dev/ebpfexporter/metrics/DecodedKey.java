package dev.ebpfexporter.metrics;

import io.prometheus.metrics.model.snapshots.Labels;

/**
 * What one raw map key decodes to: its exposed labels and, for histograms, its bucket key.
 * Kept in the decode cache; {@code lastSeen} is the scrape generation that last met the key.
 */
final class DecodedKey {

    final Labels labels;
    final double bucket;
    volatile long lastSeen;

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
}
