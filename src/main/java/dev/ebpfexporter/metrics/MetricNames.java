package dev.ebpfexporter.metrics;

/** Exposed names: every config metric gets the reference exporter's prefix. */
public final class MetricNames {
    public static final String PREFIX = "ebpf_exporter_";

    private MetricNames() {
    }

    /**
     * A counter's exposed name: the configured name with the prefix, exactly, whether or not it
     * ends in {@code _total} (in OpenMetrics the writer adds {@code _total} to the samples).
     */
    public static String counter(String configured) {
        return PREFIX + configured;
    }

    public static String histogram(String configured) {
        return PREFIX + configured;
    }
}
