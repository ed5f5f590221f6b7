package dev.ebpfexporter.tracing;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the spans' default {@code service.name} comes from, as OpenTelemetry's environment variables
 * say. The test's overrides replace {@code OTEL_RESOURCE_ATTRIBUTES}; an {@code OTEL_SERVICE_NAME} in
 * the test's own environment wins over both, as it should, so the expectations take it into account
 * instead of skipping.
 */
class ServiceNameTest {
    private static final Optional<String> ENVIRONMENT_SERVICE =
            Optional.ofNullable(System.getenv("OTEL_SERVICE_NAME")).filter(name -> !name.isEmpty());

    private static String defaultService(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.put("otel.traces.exporter", "none");
        try (Tracing tracing = Tracing.create(all)) {
            return tracing.defaultService();
        }
    }

    @Test
    void aServiceNameInTheResourceAttributesIsKept() {
        assertThat(defaultService(Map.of("otel.resource.attributes", "service.name=from-attributes,team=kernel")))
                .isEqualTo(ENVIRONMENT_SERVICE.orElse("from-attributes"));
    }

    @Test
    void otelServiceNameWinsOverTheResourceAttributes() {
        assertThat(defaultService(Map.of("otel.resource.attributes", "service.name=from-attributes",
                "otel.service.name", "from-variable"))).isEqualTo("from-variable");
    }

    @Test
    void withNeitherItIsEbpfExporter() {
        assertThat(defaultService(Map.of("otel.resource.attributes", "team=kernel")))
                .isEqualTo(ENVIRONMENT_SERVICE.orElse(Tracing.DEFAULT_SERVICE_NAME));
    }
}
