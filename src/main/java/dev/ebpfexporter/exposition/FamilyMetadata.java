package dev.ebpfexporter.exposition;

/**
 * A family's name, help and type. The name is the one the Prometheus text format shows, exactly:
 * a counter keeps its configured name whether or not it ends in {@code _total} (the OpenMetrics
 * writer derives its own names from it).
 */
public record FamilyMetadata(String name, String help, MetricType type) {
    public FamilyMetadata {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a metric family needs a name");
        }
        help = help == null ? "" : help;
    }
}
