package dev.ebpfexporter.compat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.LinkedHashMap;
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

    private final HttpServer server;
    final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> requestHeaders = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/traces", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            try {
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
                Map<String, String> headers = new LinkedHashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT),
                        String.join(",", v)));
                requestHeaders.add(headers);
                request.getResourceSpansList().forEach(this::add);
                byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, response.length);
                exchange.getResponseBody().write(response);
            } catch (IOException | RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            }
            exchange.close();
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
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
        server.stop(0);
    }
}
