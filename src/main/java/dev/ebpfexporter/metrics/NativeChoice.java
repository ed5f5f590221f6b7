package dev.ebpfexporter.metrics;

import dev.ebpfexporter.config.HistogramConfig;
import dev.ebpfexporter.exposition.NativeLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a histogram is served as a native histogram as well as classic buckets: its
 * {@code native_histogram} if set, else the flag; and only where its buckets are exactly exponential
 * ones. A histogram that asks for native buckets and cannot have them is said once, when it loads.
 */
final class NativeChoice {
    private static final Logger LOG = LoggerFactory.getLogger(NativeChoice.class);

    private NativeChoice() {
    }

    /** The layout to serve, or null for classic buckets only. */
    static NativeLayout of(HistogramConfig config, HistogramBuckets buckets, boolean flag) {
        boolean explicit = config.nativeHistogram() != null;
        if (!(explicit ? config.nativeHistogram() : flag)) {
            return null;
        }
        if (buckets.nativeLayout() == null) {
            String message = "{}: histogram {} is served with classic buckets only (no native histogram): {}";
            if (explicit) {
                LOG.warn(message, config.source(), config.name(), buckets.notNative());
            } else {
                LOG.info(message, config.source(), config.name(), buckets.notNative());
            }
        }
        return buckets.nativeLayout();
    }
}
