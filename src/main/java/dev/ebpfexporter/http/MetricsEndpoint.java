package dev.ebpfexporter.http;

import dev.ebpfexporter.exposition.Exposition;

/**
 * What the telemetry path serves: a scrape of {@code exposition}, gzipped at {@code gzipLevel}
 * (1 fastest .. 9 smallest; 0 never gzips) when the client accepts it.
 */
public record MetricsEndpoint(Exposition exposition, int gzipLevel) {
    public static final int DEFAULT_GZIP_LEVEL = 1;

    public MetricsEndpoint {
        if (gzipLevel < 0 || gzipLevel > 9) {
            throw new IllegalArgumentException("gzip level must be 0 (off) to 9, not " + gzipLevel);
        }
    }

    public MetricsEndpoint(Exposition exposition) {
        this(exposition, DEFAULT_GZIP_LEVEL);
    }
}
