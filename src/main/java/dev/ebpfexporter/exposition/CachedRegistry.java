package dev.ebpfexporter.exposition;

import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.time.Duration;
import java.util.List;

/**
 * A client_java registry (the JVM metrics) as a scrape part whose families are reused for
 * {@code maxAge}: reading the JVM's MXBeans (threads, memory pools, GC) costs more than writing a
 * thousand series, and a value a second old is as good for a JVM gauge.
 */
public final class CachedRegistry {
    private record Cached(long at, List<Family> families) {
    }

    private final PrometheusRegistry registry;
    private final long maxAgeNanos;
    private volatile Cached cached;

    public CachedRegistry(PrometheusRegistry registry, Duration maxAge) {
        this.registry = registry;
        this.maxAgeNanos = maxAge.toNanos();
    }

    public ScrapePart part(String name) {
        return new ScrapePart("", name, this::families);
    }

    List<Family> families() {
        Cached current = cached;
        long now = System.nanoTime();
        if (current == null || now - current.at >= maxAgeNanos) {
            current = new Cached(now, ClientJavaFamilies.of(registry.scrape()));
            cached = current;
        }
        return current.families;
    }
}
