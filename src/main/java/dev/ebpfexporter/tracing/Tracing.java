package dev.ebpfexporter.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
        // Only traces: no metrics or logs exporter, whatever the environment says.
        forced.put("otel.metrics.exporter", "none");
        forced.put("otel.logs.exporter", "none");
        AutoConfiguredOpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .disableShutdownHook()
                // Defaults as the reference's Go SDK has them: OTLP over HTTP with protobuf (Java's default is gRPC).
                .addPropertiesSupplier(() -> Map.of("otel.exporter.otlp.protocol", "http/protobuf"))
                .addPropertiesCustomizer(config -> forced)
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
        String description = processor.get() == null ? "spans not exported (no span exporter configured)"
                : "spans exported by " + exporter.get();
        return new Tracing(sdk, processor.get() == null ? SpanProcessor.composite() : processor.get(), resource.get(),
                sampler.get(), service == null ? DEFAULT_SERVICE_NAME : service, description);
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
