package dev.ebpfexporter.otlp;

import dev.ebpfexporter.exposition.Exposition;
import dev.ebpfexporter.exposition.ScrapeErrors;
import dev.ebpfexporter.exposition.ScrapePart;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * What each push sends: the families of the same scrape parts a scrape serves, converted. A part
 * that throws, or a family that cannot be converted (observations above an exponential histogram's
 * last bucket, a name another config already exports), is left out of that push and counted in
 * {@code ebpf_exporter_scrape_errors_total} as a scrape counts it; the rest is sent, the error counter
 * last.
 */
final class FamilyProducer implements MetricProducer {
    private final Supplier<List<ScrapePart>> parts;
    private final ScrapeErrors errors;
    private final InstrumentationScopeInfo scope;
    private final long startNanos;
    private final Clock clock;
    private volatile boolean stopped;

    /** @param startNanos epoch nanoseconds since which every cumulative point counts */
    FamilyProducer(Supplier<List<ScrapePart>> parts, ScrapeErrors errors, InstrumentationScopeInfo scope,
                   long startNanos, Clock clock) {
        this.parts = parts;
        this.errors = errors;
        this.scope = scope;
        this.startNanos = startNanos;
        this.clock = clock;
    }

    /** From now on nothing is produced, so the SDK skips the pushes (its reader sends no empty ones). */
    void stop() {
        stopped = true;
    }

    @Override
    public Collection<MetricData> produce(Resource resource) {
        if (stopped) {
            return List.of();
        }
        FamilyConverter converter = new FamilyConverter(resource, scope, startNanos, nanos(clock.instant()));
        List<MetricData> metrics = new ArrayList<>();
        new Exposition(parts, errors).forEachFamily("the OTLP push", name -> true, family -> {
            if (family.size() > 0) {
                metrics.add(converter.convert(family));
            }
        });
        return metrics;
    }

    static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
