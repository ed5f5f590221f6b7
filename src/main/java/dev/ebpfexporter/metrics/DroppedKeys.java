package dev.ebpfexporter.metrics;

import dev.ebpfexporter.config.LabelConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keys a decoder chose to drop ({@code regexp} without a match), counted per distinct key against those kept.
 * Dropping keys is the decoder's job, but dropping every one is almost always regexps that do not fit the label's
 * values, and the metric then vanishes without a word: after a scrape in which that is still so, it is logged once.
 */
final class DroppedKeys {
    private static final Logger LOG = LoggerFactory.getLogger(DroppedKeys.class);

    private final LongAdder kept = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicReference<String> lastDrop = new AtomicReference<>();
    private final AtomicBoolean warned = new AtomicBoolean();

    void kept() {
        kept.increment();
    }

    /** A key dropped by a decoder of {@code label}, for {@code reason}. */
    void dropped(LabelConfig label, String reason) {
        dropped.increment();
        lastDrop.compareAndSet(null, label.source() + ": label \"" + label.name() + "\": " + reason);
    }

    /** Called after a scrape: logs once when keys were read and every one of them was dropped. */
    void afterScrape() {
        long droppedKeys = dropped.sum();
        if (droppedKeys == 0 || kept.sum() > 0 || warned.get() || !warned.compareAndSet(false, true)) {
            return;
        }
        LOG.warn("{}: all {} keys read so far were dropped, so this metric has no series: check that the decoders fit"
                + " the label's values", lastDrop.get(), droppedKeys);
    }
}
