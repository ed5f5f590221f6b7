package dev.ebpfexporter.otlp;

import dev.ebpfexporter.exposition.Exposition;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --metrics.otlp-push-interval}: pushes the metrics over OTLP every interval, configured by the
 * OpenTelemetry SDK's autoconfigure module from the standard {@code OTEL_EXPORTER_OTLP_*} variables
 * (endpoint, headers, timeout, compression, protocol; or their {@code -Dotel.*} properties) and the
 * resource from {@code OTEL_RESOURCE_ATTRIBUTES} and {@code OTEL_SERVICE_NAME} plus the host.
 *
 * <p>The flag's interval wins over {@code OTEL_METRIC_EXPORT_INTERVAL}, and the exporter is always
 * OTLP (the flag asks for the push, so {@code OTEL_METRICS_EXPORTER} and {@code OTEL_SDK_DISABLED} do
 * not turn it into something else); no spans or logs go through this SDK. Protocol {@code http/protobuf}
 * unless set: the bundled JDK HTTP sender has no gRPC, so {@code grpc} is refused at start.
 * {@link #close()} pushes once more, bounded by {@link #FINAL_PUSH_LIMIT}.
 */
public final class OtlpPush implements AutoCloseable {
    /** The final push on close gets this long. */
    public static final Duration FINAL_PUSH_LIMIT = Duration.ofSeconds(10);
    static final String SCOPE = "ebpf_exporter";
    private static final String HTTP_PROTOBUF = "http/protobuf";
    private static final Pattern ENDPOINT = Pattern.compile("endpoint=([^,}\\s]+)");
    private static final Logger LOG = LoggerFactory.getLogger(OtlpPush.class);

    private final AutoConfiguredOpenTelemetrySdk sdk;
    private final FamilyProducer producer;
    private final String description;

    private OtlpPush(AutoConfiguredOpenTelemetrySdk sdk, FamilyProducer producer, String description) {
        this.sdk = sdk;
        this.producer = producer;
        this.description = description;
    }

    /**
     * Starts pushing; the first push is one interval from now.
     *
     * @param exposition the scrape's: the push reads the same parts and counts failures in the same family
     * @param version   the exporter's version, as the instrumentation scope's
     * @param start     since when the cumulative points count (the exporter's start)
     * @param overrides {@code otel.*} properties (dotted, lower case) that win over the environment
     * @throws OtlpPushException when the environment asks for what cannot be done (gRPC, a bad endpoint)
     */
    public static OtlpPush start(Duration interval, Exposition exposition, String version, Instant start,
                                 Map<String, String> overrides) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("push interval must be positive, got " + interval);
        }
        InstrumentationScopeInfo scope = InstrumentationScopeInfo.builder(SCOPE).setVersion(version).build();
        FamilyProducer producer = new FamilyProducer(exposition, scope, FamilyProducer.nanos(start), Clock.systemUTC());
        Map<String, String> forced = new HashMap<>(overrides);
        forced.put("otel.sdk.disabled", "false");
        forced.put("otel.metrics.exporter", "otlp");
        forced.put("otel.traces.exporter", "none");
        forced.put("otel.logs.exporter", "none");
        forced.put("otel.metric.export.interval", Long.toString(Math.max(1, interval.toMillis())));
        AtomicReference<String> protocol = new AtomicReference<>(HTTP_PROTOBUF);
        AtomicReference<MetricExporter> exporter = new AtomicReference<>();
        AutoConfiguredOpenTelemetrySdk sdk;
        try {
            sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .disableShutdownHook()
                    // OTLP over HTTP with protobuf unless set, as for spans (the Java SDK's own default is gRPC).
                    .addPropertiesSupplier(() -> Map.of("otel.exporter.otlp.protocol", HTTP_PROTOBUF))
                    .addPropertiesCustomizer(config -> forced)
                    // after the overrides, which it sees: each customizer gets what the ones before it made
                    .addPropertiesCustomizer(config -> {
                        protocol.set(requireHttp(config));
                        return Map.of();
                    })
                    .addResourceCustomizer((resource, config) ->
                            ResourceDefaults.addMissing(resource, Path.of("/proc/sys/kernel/hostname")))
                    .addMetricExporterCustomizer((e, config) -> {
                        exporter.set(e);
                        return e;
                    })
                    .addMeterProviderCustomizer((builder, config) -> builder.registerMetricProducer(producer))
                    .build();
        } catch (RuntimeException e) {
            throw failure(e);
        }
        return new OtlpPush(sdk, producer, "pushing metrics over OTLP (" + protocol.get() + ") to " + endpoint(exporter.get())
                + " every " + text(interval));
    }

    /** The protocol metrics go with; only {@code http/protobuf} has a sender here. */
    private static String requireHttp(ConfigProperties config) {
        String protocol = config.getString("otel.exporter.otlp.metrics.protocol",
                config.getString("otel.exporter.otlp.protocol", HTTP_PROTOBUF));
        if (protocol.equals("grpc")) {
            throw new OtlpPushException("OTLP metrics push: protocol grpc is not supported (no gRPC sender is bundled,"
                    + " only HTTP); set OTEL_EXPORTER_OTLP_METRICS_PROTOCOL=http/protobuf", null);
        }
        return protocol;
    }

    /**
     * Ours as it is; otherwise the innermost reason, since autoconfigure wraps what a customizer or an
     * exporter throws in its own "Unexpected configuration error".
     */
    private static OtlpPushException failure(RuntimeException e) {
        Throwable innermost = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OtlpPushException ours) {
                return ours;
            }
            if (t.getMessage() != null) {
                innermost = t;
            }
        }
        return new OtlpPushException("OTLP metrics push: " + innermost.getMessage(), e);
    }

    /** Where the exporter sends, from its description (the SDK has no getter for it). */
    private static String endpoint(MetricExporter exporter) {
        String text = String.valueOf(exporter);
        Matcher m = ENDPOINT.matcher(text);
        return m.find() ? m.group(1) : text;
    }

    private static String text(Duration interval) {
        long millis = interval.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** One line for the log: protocol, endpoint and interval. */
    public String description() {
        return description;
    }

    /** Pushes once more (bounded by {@link #FINAL_PUSH_LIMIT}) and stops. */
    @Override
    public void close() {
        shutdown();
    }

    /** Stops without pushing again: for a start that fails after the push began. */
    public void abort() {
        producer.stop();
        shutdown();
    }

    private void shutdown() {
        CompletableResultCode done = sdk.getOpenTelemetrySdk().shutdown();
        done.join(FINAL_PUSH_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        if (!done.isDone()) {
            LOG.warn("OTLP metrics push: the final push did not finish in {} s", FINAL_PUSH_LIMIT.toSeconds());
        } else if (!done.isSuccess()) {
            LOG.warn("OTLP metrics push: the final push failed");
        }
    }
}
