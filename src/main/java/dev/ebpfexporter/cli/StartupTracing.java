package dev.ebpfexporter.cli;

import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.tracing.Tracing;
import org.slf4j.Logger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Whether this run exports spans: when a config has {@code tracing.spans}, or tracing is configured
 * in the environment. Then the start-up trace (config loading and attaching) is sent too. Without
 * either, nothing is traced and no collector is contacted (the reference always sends its start-up
 * trace, by default to {@code localhost:4318}).
 */
final class StartupTracing {
    private static final List<String> VARIABLES = List.of("OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");

    private StartupTracing() {
    }

    static Optional<Tracing> tracing(Logger log, List<ExporterConfig> configs) {
        boolean spans = configs.stream().anyMatch(c -> !c.spans().isEmpty());
        if (!spans && !configured(System.getenv(), System.getProperties())) {
            return Optional.empty();
        }
        try {
            Tracing tracing = Tracing.fromEnvironment();
            log.info("tracing: {}", tracing.description());
            return Optional.of(tracing);
        } catch (RuntimeException | LinkageError e) {
            // A config with spans then fails to load with this reason; without one, only the start-up trace is lost.
            log.warn("tracing: cannot set up OpenTelemetry export: {}", e.toString());
            log.debug("tracing", e);
            return Optional.empty();
        }
    }

    /** Any of the variables that say where spans go, or their {@code -Dotel.*} properties. */
    static boolean configured(Map<String, String> env, Properties properties) {
        for (String variable : VARIABLES) {
            String value = env.get(variable);
            String property = properties.getProperty(variable.toLowerCase(java.util.Locale.ROOT).replace('_', '.'));
            if (value != null && !value.isBlank() || property != null && !property.isBlank()) {
                return true;
            }
        }
        return false;
    }
}
