package dev.ebpfexporter.tracing;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Where the spans' default {@code service.name} comes from, as OpenTelemetry's environment variables say. */
class ServiceNameTest {
    private static String defaultService(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.put("otel.traces.exporter", "none");
        try (Tracing tracing = Tracing.create(all)) {
            return tracing.defaultService();
        }
    }

    @Test
    void aServiceNameInTheResourceAttributesIsKept() {
        assumeTrue(System.getenv("OTEL_SERVICE_NAME") == null, "OTEL_SERVICE_NAME is set for this test run");
        assertThat(defaultService(Map.of("otel.resource.attributes", "service.name=from-attributes,team=kernel")))
                .isEqualTo("from-attributes");
    }

    @Test
    void otelServiceNameWinsOverTheResourceAttributes() {
        assertThat(defaultService(Map.of("otel.resource.attributes", "service.name=from-attributes",
                "otel.service.name", "from-variable"))).isEqualTo("from-variable");
    }

    @Test
    void withNeitherItIsEbpfExporter() {
        assumeTrue(System.getenv("OTEL_SERVICE_NAME") == null && System.getenv("OTEL_RESOURCE_ATTRIBUTES") == null,
                "OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES is set for this test run");
        assertThat(defaultService(Map.of())).isEqualTo(Tracing.DEFAULT_SERVICE_NAME);
    }
}
