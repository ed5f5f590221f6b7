package dev.ebpfexporter.config;

import java.util.List;

/** A tracing span stream: events from ring buffer {@code ringbuf} become OpenTelemetry spans. */
public record SpanConfig(String ringbuf, String name, String service, List<LabelConfig> labels, Source source) {
    public SpanConfig {
        labels = List.copyOf(labels);
    }
}
