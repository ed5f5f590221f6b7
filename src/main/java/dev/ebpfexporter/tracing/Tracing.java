package dev.ebpfexporter.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The OpenTelemetry side of {@code tracing.spans}: one tracer provider whose spans go, batched,
 * to an OTLP/HTTP (protobuf) endpoint. Configured like every OpenTelemetry SDK, from the standard
 * variables, each also readable as a Java system property in the SDK's dotted lower-case form
 * (e.g. {@code -Dotel.exporter.otlp.endpoint=...}):
 * {@code OTEL_TRACES_EXPORTER} ({@code otlp} or {@code none}), {@code OTEL_EXPORTER_OTLP_ENDPOINT}
 * (base URL, {@code /v1/traces} is appended), {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (full URL),
 * {@code OTEL_EXPORTER_OTLP_HEADERS} / {@code _TRACES_HEADERS} ({@code k=v,k=v}),
 * {@code OTEL_EXPORTER_OTLP_TIMEOUT} (ms), {@code OTEL_SERVICE_NAME}, {@code OTEL_RESOURCE_ATTRIBUTES},
 * {@code OTEL_BSP_SCHEDULE_DELAY} (ms).
 */
public final class Tracing implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
    private static final String DEFAULT_ENDPOINT = "http://localhost:4318";
    /** What the reference's Go SDK calls itself when no service name is configured. */
    private static final String DEFAULT_SERVICE_NAME = "unknown_service:ebpf_exporter";

    private final SdkTracerProvider provider;
    private final String description;

    private Tracing(SdkTracerProvider provider, String description) {
        this.provider = provider;
        this.description = description;
    }

    /** From the process environment and system properties. */
    public static Tracing fromEnvironment() {
        return create(name -> {
            String property = System.getProperty(name.toLowerCase(java.util.Locale.ROOT).replace('_', '.'));
            return property != null ? property : System.getenv(name);
        });
    }

    /** From {@code settings}, which maps standard variable names ({@code OTEL_...}) to values or null. */
    public static Tracing create(Function<String, String> settings) {
        String exporterName = value(settings, "OTEL_TRACES_EXPORTER", "otlp");
        SpanExporter exporter;
        String description;
        if (exporterName.equals("none")) {
            exporter = SpanExporter.composite();
            description = "spans not exported (OTEL_TRACES_EXPORTER=none)";
        } else {
            if (!exporterName.equals("otlp")) {
                LOG.warn("OTEL_TRACES_EXPORTER={} is not supported; exporting spans over OTLP/HTTP", exporterName);
            }
            String protocol = value(settings, "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
                    value(settings, "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"));
            if (!protocol.equals("http/protobuf")) {
                LOG.warn("OTLP protocol {} is not supported; using http/protobuf", protocol);
            }
            String endpoint = settings.apply("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
            if (endpoint == null || endpoint.isBlank()) {
                String base = value(settings, "OTEL_EXPORTER_OTLP_ENDPOINT", DEFAULT_ENDPOINT);
                endpoint = base.replaceAll("/+$", "") + "/v1/traces";
            }
            OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder().setEndpoint(endpoint);
            headers(value(settings, "OTEL_EXPORTER_OTLP_HEADERS", "")).forEach(builder::addHeader);
            headers(value(settings, "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "")).forEach(builder::addHeader);
            String timeout = value(settings, "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT",
                    value(settings, "OTEL_EXPORTER_OTLP_TIMEOUT", ""));
            if (!timeout.isEmpty()) {
                builder.setTimeout(Duration.ofMillis(Long.parseLong(timeout.trim())));
            }
            exporter = builder.build();
            description = "spans exported to " + endpoint;
        }
        long delay = Long.parseLong(value(settings, "OTEL_BSP_SCHEDULE_DELAY", "5000").trim());
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(resource(settings))
                .setIdGenerator(EventIds.GENERATOR)
                .addSpanProcessor(BatchSpanProcessor.builder(exporter)
                        .setScheduleDelay(delay, TimeUnit.MILLISECONDS).build())
                .build();
        return new Tracing(provider, description);
    }

    private static Resource resource(Function<String, String> settings) {
        Map<String, String> attributes = headers(value(settings, "OTEL_RESOURCE_ATTRIBUTES", ""));
        String service = value(settings, "OTEL_SERVICE_NAME", attributes.getOrDefault("service.name", DEFAULT_SERVICE_NAME));
        var builder = Attributes.builder();
        attributes.forEach(builder::put);
        builder.put("service.name", service);
        return Resource.getDefault().merge(Resource.create(builder.build()));
    }

    /** {@code k=v,k=v} (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES); values may be %-encoded. */
    static Map<String, String> headers(String text) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String item : text.split(",")) {
            int eq = item.indexOf('=');
            if (eq > 0) {
                result.put(item.substring(0, eq).trim(), java.net.URLDecoder.decode(item.substring(eq + 1).trim(),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return result;
    }

    private static String value(Function<String, String> settings, String name, String fallback) {
        String value = settings.apply(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** The tracer for a span config: named after its {@code service}, as the reference names it. */
    Tracer tracer(String service) {
        return provider.get(service);
    }

    public String description() {
        return description;
    }

    /** Sends what is buffered now (spans from a config being unloaded). */
    public void flush() {
        provider.forceFlush().join(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        CompletableResultCode result = provider.shutdown();
        result.join(5, TimeUnit.SECONDS);
    }
}
