package dev.ebpfexporter.config;

import java.time.Duration;
import java.util.Optional;

/**
 * What a metric asks of its series' lifetime beyond the key layout (ours, not the reference's).
 *
 * @param expireAfter    {@code expire_after}: keys of a series whose values have not changed for this long are
 *                       deleted from the map at scrape time; null when not asked for
 * @param expireAt       where {@code expire_after} is written, for errors found when the map is known
 * @param overflowSeries {@code overflow_series}: what the series limit cuts is summed into one series whose
 *                       labels are all {@link #OVERFLOW_VALUE}, instead of left out
 */
public record SeriesOptions(Duration expireAfter, Source expireAt, boolean overflowSeries) {
    /** Neither expiry nor an overflow series: the default. */
    public static final SeriesOptions NONE = new SeriesOptions(null, Source.NONE, false);

    /** Every label of the overflow series has this value. */
    public static final String OVERFLOW_VALUE = "__overflow__";

    public SeriesOptions {
        if (expireAfter != null && (expireAfter.isNegative() || expireAfter.isZero())) {
            throw new IllegalArgumentException("expire_after must be positive, got " + expireAfter);
        }
    }

    public Optional<Duration> expiry() {
        return Optional.ofNullable(expireAfter);
    }
}
