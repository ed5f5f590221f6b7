package dev.ebpfexporter.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The OpenTelemetry side of {@code tracing.spans} and of the start-up trace. Configured by the
 * OpenTelemetry SDK's autoconfigure module from the standard {@code OTEL_*} variables (or their
 * {@code -Dotel.*} system properties), as the reference configures its Go SDK from them: exporter,
 * endpoint, headers (URL-decoded), timeouts, batching, sampler, resource attributes.
 *
 * <p>As in the reference, every span config's {@code service} is its own tracer provider whose
 * resource says {@code service.name=<service>}; without a {@code service} (and for the start-up
 * trace) it is {@code OTEL_SERVICE_NAME}, else {@code ebpf_exporter}. All providers share one
 * batching processor and exporter.
 */
public final class Tracing implements AutoCloseable {
    /** The service name when neither the span config nor {@code OTEL_SERVICE_NAME} names one. */
    public static final String DEFAULT_SERVICE_NAME = "ebpf_exporter";
    /** Instrumentation scope of every span we make. */
    static final String SCOPE = "ebpf_exporter";
    private static final String TRACES_EXPORTER = "otel.traces.exporter";
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    private final AutoConfiguredOpenTelemetrySdk sdk;
    private final SpanProcessor processor;
    private final Resource resource;
    private final Sampler sampler;
    private final String defaultService;
    private final String description;
    private final Map<String, SdkTracerProvider> providers = new ConcurrentHashMap<>();

    private Tracing(AutoConfiguredOpenTelemetrySdk sdk, SpanProcessor processor, Resource resource, Sampler sampler,
                    String defaultService, String description) {
        this.sdk = sdk;
        this.processor = processor;
        this.resource = resource;
        this.sampler = sampler;
        this.defaultService = defaultService;
        this.description = description;
    }

    /** From the process environment and system properties. */
    public static Tracing fromEnvironment() {
        return create(Map.of());
    }

    /**
     * @param overrides {@code otel.*} properties (dotted, lower case) that win over the environment
     */
    public static Tracing create(Map<String, String> overrides) {
        AtomicReference<SpanProcessor> processor = new AtomicReference<>();
        AtomicReference<SpanExporter> exporter = new AtomicReference<>();
        AtomicReference<Resource> resource = new AtomicReference<>(Resource.getDefault());
        AtomicReference<Sampler> sampler = new AtomicReference<>(Sampler.alwaysOn());
        Map<String, String> forced = new HashMap<>(overrides);
        AtomicBoolean noEndpoint = new AtomicBoolean();
        // Only traces: no metrics or logs exporter, whatever the environment says.
        forced.put("otel.metrics.exporter", "none");
        forced.put("otel.logs.exporter", "none");
        AutoConfiguredOpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .disableShutdownHook()
                // Defaults as the reference's Go SDK has them: OTLP over HTTP with protobuf (Java's default is gRPC).
                .addPropertiesSupplier(() -> Map.of("otel.exporter.otlp.protocol", "http/protobuf"))
                .addPropertiesCustomizer(config -> {
                    noEndpoint.set(otlpWithoutEndpoint(config, forced));
                    return noEndpoint.get() ? withoutOtlp(forced) : forced;
                })
                .addResourceCustomizer((r, config) -> {
                    Resource named = withDefaultServiceName(r);
                    resource.set(named);
                    return named;
                })
                .addSamplerCustomizer((s, config) -> {
                    sampler.set(s);
                    return s;
                })
                .addSpanExporterCustomizer((e, config) -> {
                    exporter.set(e);
                    return e;
                })
                .addSpanProcessorCustomizer((p, config) -> {
                    processor.set(p);
                    return p;
                })
                .build();
        String service = resource.get().getAttribute(SERVICE_NAME);
        String unpushed = "not pushed over OTLP: no endpoint configured (set OTEL_EXPORTER_OTLP_ENDPOINT or"
                + " OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)";
        String description = processor.get() != null ? "spans exported by " + exporter.get()
                : noEndpoint.get() ? "spans " + unpushed : "spans not exported (no span exporter configured)";
        return new Tracing(sdk, processor.get() == null ? SpanProcessor.composite() : processor.get(), resource.get(),
                sampler.get(), service == null ? DEFAULT_SERVICE_NAME : service, description);
    }

    /**
     * The OTLP exporter, the SDK's default, would push to {@code localhost:4318} when no endpoint is set, retrying
     * for seconds against a port nobody listens on (a {@code --config.check} then took 11-21 s and logged a
     * {@code ConnectException}). Without an endpoint nothing is pushed.
     */
    private static boolean otlpWithoutEndpoint(ConfigProperties config, Map<String, String> forced) {
        return traceExporters(config, forced).contains("otlp") && !configured(config, forced, "otel.exporter.otlp.endpoint")
                && !configured(config, forced, "otel.exporter.otlp.traces.endpoint");
    }

    /** The span exporters named (the SDK's default: {@code otlp}). */
    private static List<String> traceExporters(ConfigProperties config, Map<String, String> forced) {
        String names = forced.containsKey(TRACES_EXPORTER) ? forced.get(TRACES_EXPORTER)
                : config.getString(TRACES_EXPORTER, "otlp");
        return Arrays.stream(names.split(",")).map(String::strip).filter(name -> !name.isEmpty()).toList();
    }

    /** {@code forced} with no span exporter: OTLP is the only one this distribution has on its class path. */
    private static Map<String, String> withoutOtlp(Map<String, String> forced) {
        Map<String, String> changed = new HashMap<>(forced);
        changed.put(TRACES_EXPORTER, "none");
        return changed;
    }

    private static boolean configured(ConfigProperties config, Map<String, String> forced, String key) {
        String value = forced.containsKey(key) ? forced.get(key) : config.getString(key);
        return value != null && !value.isBlank();
    }

    /**
     * {@code ebpf_exporter} where neither {@code OTEL_SERVICE_NAME} nor a {@code service.name} in
     * {@code OTEL_RESOURCE_ATTRIBUTES} names the service (the SDK then says {@code unknown_service:java}).
     * Not a default for {@code otel.service.name}: that would win over the resource attributes.
     */
    public static Resource withDefaultServiceName(Resource resource) {
        String service = resource.getAttribute(SERVICE_NAME);
        if (service != null && !service.startsWith("unknown_service")) {
            return resource;
        }
        return resource.merge(Resource.create(Attributes.of(SERVICE_NAME, DEFAULT_SERVICE_NAME)));
    }

    /** The service of spans whose config names none, and of the start-up trace. */
    String defaultService() {
        return defaultService;
    }

    /** The tracer of a service ({@code ""}: the default service), as the reference's provider makes them. */
    Tracer tracer(String service) {
        String name = service.isEmpty() ? defaultService : service;
        return providers.computeIfAbsent(name, n -> SdkTracerProvider.builder()
                .setResource(resource.merge(Resource.create(Attributes.of(SERVICE_NAME, n))))
                .setSampler(sampler)
                .setIdGenerator(EventIds.GENERATOR)
                .addSpanProcessor(processor)
                .build()).get(SCOPE);
    }

    public String description() {
        return description;
    }

    /** Sends what is buffered now (spans from a config being unloaded). */
    public void flush() {
        processor.forceFlush().join(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        flush();
        CompletableResultCode result = sdk.getOpenTelemetrySdk().shutdown();
        result.join(5, TimeUnit.SECONDS);
    }
}
