package dev.ebpfexporter.exposition;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Families left out of scrapes: counted per config and metric in
 * {@code ebpf_exporter_scrape_errors_total}, and logged at warn the first time each cause (part,
 * exception type and message) is seen, at debug after that, so a failure that repeats on every
 * scrape is visible without flooding the log.
 */
public final class ScrapeErrors {
    static final String NAME = "ebpf_exporter_scrape_errors_total";
    private static final Logger LOG = LoggerFactory.getLogger(ScrapeErrors.class);
    /** Distinct causes remembered for the once-only warning; past this, every failure warns. */
    private static final int MAX_CAUSES = 1024;

    private record Key(String config, String metric) {
    }

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * Counts a part (or one of its families) left out of what {@code reading} reads (a scrape or an
     * OTLP push), and logs it.
     *
     * @param family the family left out, or null when the part's families could not be built
     */
    void record(String reading, ScrapePart part, String family, Throwable error) {
        counts.computeIfAbsent(new Key(part.config(), part.metric()), k -> new LongAdder()).increment();
        String message = error instanceof FamilyException ? error.getMessage() : error.toString();
        String cause = part.config() + '\0' + part.metric() + '\0' + message;
        String where = part.config().isEmpty() ? part.metric() : "config " + part.config() + ": metric " + part.metric();
        if (warned.size() < MAX_CAUSES ? warned.add(cause) : !warned.contains(cause)) {
            LOG.warn("{}: {} left out of {}: {} (further failures of the same kind are counted in {})",
                    where, family == null ? "its families are" : family + " is", reading, message, NAME);
        }
        // Every failure, the first too, with its stack trace: what --log.level=debug is for.
        LOG.debug("{}: {} left out of {}: {}", where, family == null ? "its families are" : family + " is", reading,
                message, error);
    }

    /** Failures so far for one config's metric. */
    public long count(String config, String metric) {
        LongAdder count = counts.get(new Key(config, metric));
        return count == null ? 0 : count.sum();
    }

    /** {@code ebpf_exporter_scrape_errors_total}, one series per config and metric that failed so far. */
    Samples family() {
        Samples.Builder builder = Samples.builder(NAME,
                "Metric families left out of a scrape because reading, building or writing them failed",
                MetricType.COUNTER);
        counts.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(Key::config).thenComparing(Key::metric)))
                .forEach(e -> builder.add(e.getValue().sum(), "config", e.getKey().config(), "metric", e.getKey().metric()));
        return builder.build();
    }
}
