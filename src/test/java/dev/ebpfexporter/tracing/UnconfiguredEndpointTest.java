package dev.ebpfexporter.tracing;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spans are pushed over OTLP only to an endpoint someone configured: the SDK's default ({@code localhost:4318})
 * is never tried. Blank overrides stand for
 * variables that are not set, whatever the test's environment says.
 */
class UnconfiguredEndpointTest {
    private static final Map<String, String> NO_ENDPOINT = Map.of("otel.exporter.otlp.endpoint", "",
            "otel.exporter.otlp.traces.endpoint", "");
    private static final String NOT_PUSHED = "not pushed over OTLP: no endpoint configured (set"
            + " OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)";

    private static String description(Map<String, String> overrides) {
        Tracing tracing = Tracing.create(overrides);
        try {
            return tracing.description();
        } finally {
            tracing.close();
        }
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> overrides = new java.util.HashMap<>(NO_ENDPOINT);
        overrides.put(key, value);
        return overrides;
    }

    @Test
    void withoutAnEndpointNothingIsPushed() {
        assertThat(description(NO_ENDPOINT)).isEqualTo("spans " + NOT_PUSHED);
        assertThat(description(with("otel.traces.exporter", "otlp"))).isEqualTo("spans " + NOT_PUSHED);
    }

    @Test
    void eitherEndpointVariableTurnsThePushOn() {
        assertThat(description(Map.of("otel.exporter.otlp.endpoint", "http://127.0.0.1:1")))
                .startsWith("spans exported by OtlpHttpSpanExporter{endpoint=http://127.0.0.1:1/v1/traces");
        assertThat(description(Map.of("otel.exporter.otlp.traces.endpoint", "http://127.0.0.1:2/traces")))
                .startsWith("spans exported by OtlpHttpSpanExporter{endpoint=http://127.0.0.1:2/traces");
    }

    @Test
    void noExporterStaysNoExporter() {
        assertThat(description(with("otel.traces.exporter", "none"))).isEqualTo("spans not exported (no span exporter configured)");
    }
}
