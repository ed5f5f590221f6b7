package dev.ebpfexporter.otlp;

import dev.ebpfexporter.exposition.Exposition;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What each push sends: the families of the same scrape parts a scrape serves, converted. A part
 * that throws, or a family that cannot be converted (observations above an exponential histogram's
 * last bucket, a name another config already exports), is left out of that push and counted in
 * {@code ebpf_exporter_scrape_errors_total} as a scrape counts it; the rest is sent, the error counter
 * last.
 */
final class FamilyProducer implements MetricProducer {
    private final Exposition exposition;
    private final InstrumentationScopeInfo scope;
    private final long startNanos;
    private final Clock clock;
    private volatile boolean stopped;

    /**
     * @param exposition the scrape's, so that its parts are read and its failures counted in one place
     * @param startNanos epoch nanoseconds since which every cumulative point counts
     */
    FamilyProducer(Exposition exposition, InstrumentationScopeInfo scope, long startNanos, Clock clock) {
        this.exposition = exposition;
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
        exposition.forEachFamily("the OTLP push", name -> true, family -> {
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
