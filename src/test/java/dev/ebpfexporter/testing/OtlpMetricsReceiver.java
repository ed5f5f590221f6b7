package dev.ebpfexporter.testing;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OTLP/HTTP metrics receiver on loopback: accepts protobuf {@code ExportMetricsServiceRequest}s on
 * {@code /v1/metrics}, decodes them with the official OpenTelemetry protobuf classes and keeps every
 * request with its headers. Anything it cannot decode is answered 400 and counted.
 */
public final class OtlpMetricsReceiver implements AutoCloseable {
    /** One push as it arrived. */
    public record Push(ExportMetricsServiceRequest request, Map<String, String> headers) {
        /** A request header by its lower-case name, or null. */
        public String header(String name) {
            return headers.get(name);
        }

        public String contentType() {
            return header("content-type");
        }

        /** The resource attributes of the push's first resource, as text. */
        public Map<String, String> resource() {
            return text(request.getResourceMetrics(0).getResource().getAttributesList());
        }

        /** The metric named {@code name}, from any resource and scope. */
        public Optional<Metric> metric(String name) {
            return metrics().stream().filter(m -> m.getName().equals(name)).findFirst();
        }

        public List<Metric> metrics() {
            return request.getResourceMetricsList().stream().map(ResourceMetrics::getScopeMetricsList)
                    .flatMap(List::stream).map(ScopeMetrics::getMetricsList).flatMap(List::stream).toList();
        }
    }

    private final List<Push> pushes = new CopyOnWriteArrayList<>();
    private final OtlpHttpEndpoint server = new OtlpHttpEndpoint("/v1/metrics", ExportMetricsServiceRequest::parseFrom,
            ExportMetricsServiceResponse.getDefaultInstance().toByteArray(), (request, headers) -> pushes.add(new Push(request, headers)));

    public OtlpMetricsReceiver() throws IOException {
    }

    /** {@code http://127.0.0.1:PORT}, for {@code OTEL_EXPORTER_OTLP_ENDPOINT} (the SDK adds {@code /v1/metrics}). */
    public String endpoint() {
        return server.endpoint();
    }

    public List<Push> pushes() {
        return List.copyOf(pushes);
    }

    /** Requests that were not an {@code ExportMetricsServiceRequest}. */
    public int rejected() {
        return server.rejected();
    }

    /** Waits until {@code count} pushes arrived; fails with what arrived after {@code timeout}. */
    public List<Push> await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pushes.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(pushes.size() + " of " + count + " OTLP metric pushes within " + timeout
                        + " (" + server.rejected() + " rejected)");
            }
            Thread.sleep(20);
        }
        return pushes();
    }

    /** Waits for a push that {@code matches}; fails with how many arrived after {@code timeout}. */
    public Push await(java.util.function.Predicate<Push> matches, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Push> push = pushes.stream().filter(matches).findFirst();
            if (push.isPresent()) {
                return push.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("none of " + pushes.size() + " OTLP metric pushes matched within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    public static Map<String, String> text(List<KeyValue> attributes) {
        Map<String, String> result = new LinkedHashMap<>();
        for (KeyValue kv : attributes) {
            result.put(kv.getKey(), kv.getValue().getStringValue());
        }
        return result;
    }

    @Override
    public void close() {
        server.close();
    }
}
