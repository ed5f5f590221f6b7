package dev.ebpfexporter.metrics;

import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.CounterConfig;
import dev.ebpfexporter.config.LabelConfig;
import dev.ebpfexporter.exposition.FamilyMetadata;
import dev.ebpfexporter.exposition.LabelSet;
import dev.ebpfexporter.exposition.MetricType;
import dev.ebpfexporter.exposition.Samples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A {@code perf_event_array: true} counter: every event's leading bytes are a key, decoded into
 * labels, and add 1 to that series. The series set starts over after each {@code flush_interval}
 * (one hour when unset or zero, as in the reference), so series of things long gone disappear. Events may carry trailing padding
 * (perf rounds samples up to 8 bytes); only the configured key width is decoded.
 */
public final class EventCounter implements MetricSource {
    private final CounterConfig config;
    private final FamilyMetadata metadata;
    private final KeyDecoder decoder;
    private final int keySize;
    private final SeriesLimit limit;
    private final long flushNanos;
    private final LongAdder decoderErrors;
    private final LongSupplier clock;
    private volatile Map<LabelSet, LongAdder> counts = new ConcurrentHashMap<>();
    private volatile long flushedAt;
    private final LongAdder lost = new LongAdder();
    private final LongAdder shortEvents = new LongAdder();

    /** The reference's flush interval when a counter sets none (or zero). */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofHours(1);

    private EventCounter(CounterConfig config, KeyDecoder decoder, int keySize, int seriesLimit, LongAdder decoderErrors,
                         LongSupplier clock) {
        this.config = config;
        this.metadata = new FamilyMetadata(MetricNames.counter(config.name()), config.help(), MetricType.COUNTER);
        this.decoder = decoder;
        this.keySize = keySize;
        this.limit = new SeriesLimit(seriesLimit, config.source() + ": metric " + config.name());
        Duration flush = config.flushInterval();
        this.flushNanos = (flush == null || flush.isZero() ? DEFAULT_FLUSH_INTERVAL : flush).toNanos();
        this.decoderErrors = decoderErrors;
        this.clock = clock;
        this.flushedAt = clock.getAsLong();
    }

    public static EventCounter bind(CounterConfig config, DecoderFactory decoders, LongAdder decoderErrors, int seriesLimit)
            throws ConfigException {
        return bind(config, decoders, decoderErrors, seriesLimit, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime()} (tests pass their own) */
    static EventCounter bind(CounterConfig config, DecoderFactory decoders, LongAdder decoderErrors, int seriesLimit,
                             LongSupplier clock) throws ConfigException {
        KeyLayout layout = KeyLayout.of(config.labels());
        List<LabelChain> chains = new ArrayList<>();
        for (LabelConfig label : config.labels()) {
            chains.add(LabelChain.of(label, decoders));
        }
        return new EventCounter(config, new KeyDecoder(layout, chains, false, decoderErrors), layout.keySize(),
                seriesLimit, decoderErrors, clock);
    }

    /** Handles one event's bytes (called on the polling thread). */
    public void onEvent(byte[] event) {
        if (event.length < keySize) {
            shortEvents.increment();
            decoderErrors.increment();
            return;
        }
        DecodedKey key = decoder.decode(event, 0, 0);
        if (key == null) {
            return;
        }
        Map<LabelSet, LongAdder> current = counts;
        LongAdder count = current.get(key.labelSet());
        if (count == null) {
            if (!limit.admit(current.size())) {
                return;
            }
            count = current.computeIfAbsent(key.labelSet(), k -> new LongAdder());
        }
        count.increment();
    }

    /**
     * Starts a new series set once per interval, however many scrapes arrive at once: the check and
     * the swap are one step, so a second scrape neither swaps again nor serves the new, empty set.
     * Returns the set that this scrape serves (the one that was current until now).
     */
    private synchronized Map<LabelSet, LongAdder> flush() {
        decoder.afterScrape();
        Map<LabelSet, LongAdder> current = counts;
        long now = clock.getAsLong();
        if (now - flushedAt >= flushNanos) {
            counts = new ConcurrentHashMap<>();
            flushedAt = now;
            decoder.evictOlderThan(Long.MAX_VALUE);
        }
        return current;
    }

    public void onLost(long events) {
        lost.add(events);
    }

    /** Events the kernel dropped because the buffer was full. */
    public long lostEvents() {
        return lost.sum();
    }

    @Override
    public CounterConfig config() {
        return config;
    }

    @Override
    public SeriesLimit limit() {
        return limit;
    }

    /** The counts, series in label order. */
    @Override
    public Samples collect() {
        Map<LabelSet, LongAdder> current = counts;
        if (clock.getAsLong() - flushedAt >= flushNanos) {
            current = flush();
        }
        LabelSet[] labels = current.keySet().toArray(LabelSet[]::new);
        java.util.Arrays.sort(labels);
        double[] values = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            LongAdder count = current.get(labels[i]);
            values[i] = count == null ? 0 : count.sum();
        }
        return new Samples(metadata, labels, values, labels.length);
    }
}
