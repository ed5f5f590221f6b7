package dev.ebpfexporter.compat;

import dev.ebpfexporter.testing.OtlpHttpEndpoint;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OTLP/HTTP trace receiver on loopback: accepts protobuf {@code ExportTraceServiceRequest}s on
 * {@code /v1/traces}, decodes them with the official OpenTelemetry protobuf classes and keeps the
 * spans (with their resource's {@code service.name}) and each request's headers.
 */
final class OtlpReceiver implements AutoCloseable {
    record ReceivedSpan(String service, String scope, String name, String traceId, String spanId, String parentSpanId,
                        long startNanos, long endNanos, Map<String, String> attributes, boolean error,
                        List<String> events) {
    }

    final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> requestHeaders = new CopyOnWriteArrayList<>();
    private final OtlpHttpEndpoint server = new OtlpHttpEndpoint("/v1/traces", ExportTraceServiceRequest::parseFrom,
            ExportTraceServiceResponse.getDefaultInstance().toByteArray(), (request, headers) -> {
                requestHeaders.add(headers);
                request.getResourceSpansList().forEach(this::add);
            });

    OtlpReceiver() throws IOException {
    }

    String endpoint() {
        return server.endpoint();
    }

    /** Spans named {@code name}. */
    List<ReceivedSpan> named(String name) {
        return spans.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** Waits until {@code count} spans named {@code name} arrived or {@code millis} passed. */
    List<ReceivedSpan> await(String name, int count, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (named(name).size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return named(name);
    }

    private void add(ResourceSpans resourceSpans) {
        String service = text(resourceSpans.getResource().getAttributesList()).getOrDefault("service.name", "");
        for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
            for (Span span : scopeSpans.getSpansList()) {
                spans.add(new ReceivedSpan(service, scopeSpans.getScope().getName(), span.getName(),
                        HexFormat.of().formatHex(span.getTraceId().toByteArray()),
                        HexFormat.of().formatHex(span.getSpanId().toByteArray()),
                        HexFormat.of().formatHex(span.getParentSpanId().toByteArray()),
                        span.getStartTimeUnixNano(), span.getEndTimeUnixNano(), text(span.getAttributesList()),
                        span.getStatus().getCode() == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR,
                        span.getEventsList().stream().map(e -> e.getName() + text(e.getAttributesList())).toList()));
            }
        }
    }

    private static Map<String, String> text(List<KeyValue> attributes) {
        return dev.ebpfexporter.testing.OtlpMetricsReceiver.text(attributes);
    }

    @Override
    public void close() {
        server.close();
    }
}
