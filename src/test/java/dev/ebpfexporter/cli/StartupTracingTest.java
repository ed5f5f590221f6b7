package dev.ebpfexporter.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up trace is sent only where spans have somewhere to go. */
class StartupTracingTest {
    @Test
    void tracingIsConfiguredByAnEndpointOrExporterVariableOrProperty() {
        assertThat(StartupTracing.configured(Map.of(), new Properties())).isFalse();
        assertThat(StartupTracing.configured(Map.of("OTEL_SERVICE_NAME", "x"), new Properties())).isFalse();
        assertThat(StartupTracing.configured(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
                new Properties())).isTrue();
        assertThat(StartupTracing.configured(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", " "), new Properties())).isFalse();
        Properties properties = new Properties();
        properties.setProperty("otel.traces.exporter", "otlp");
        assertThat(StartupTracing.configured(Map.of(), properties)).isTrue();
    }
}
