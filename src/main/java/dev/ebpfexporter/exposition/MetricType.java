package dev.ebpfexporter.exposition;

/** A family's type as the formats declare it. */
public enum MetricType {
    COUNTER("counter", "counter", 0),
    GAUGE("gauge", "gauge", 1),
    SUMMARY("summary", "summary", 2),
    UNTYPED("untyped", "unknown", 3),
    HISTOGRAM("histogram", "histogram", 4);

    final String text;
    final String openMetrics;
    final int protobuf;

    MetricType(String text, String openMetrics, int protobuf) {
        this.text = text;
        this.openMetrics = openMetrics;
        this.protobuf = protobuf;
    }
}
