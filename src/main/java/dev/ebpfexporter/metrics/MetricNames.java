package dev.ebpfexporter.metrics;

/** Exposed names: every config metric gets the reference exporter's prefix. */
public final class MetricNames {
    public static final String PREFIX = "ebpf_exporter_";

    private MetricNames() {
    }

    /**
     * The client_java name of a counter: client_java adds {@code _total} itself when it writes a
     * counter, so a configured {@code timer_starts_total} becomes {@code ebpf_exporter_timer_starts}.
     */
    public static String counter(String configured) {
        String name = PREFIX + configured;
        return isTypedCounter(configured) ? name.substring(0, name.length() - "_total".length()) : name;
    }

    /** Counters named {@code *_total} are exposed as counters; others keep their exact name, untyped. */
    public static boolean isTypedCounter(String configured) {
        return configured.endsWith("_total");
    }

    public static String histogram(String configured) {
        return PREFIX + configured;
    }
}
