package dev.ebpfexporter.cli;

import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.OtlpMetricsReceiver;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --metrics.otlp-push-interval} through the real launcher, configured only by the standard
 * {@code OTEL_*} variables (read by the SDK's autoconfigure module): pushes arrive at a receiver that
 * decodes them with the official protobuf classes, once more on SIGTERM, and gRPC is refused.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OtlpPushIT {
    private static final Duration START = Duration.ofSeconds(60);

    private static List<String> timers(String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("--config.dir=" + BpfAvailability.examples(),
                "--config.names=timers", "--web.listen-address=127.0.0.1:" + Ports.free()));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void pushesEveryIntervalToTheEndpointTheEnvironmentNames() throws Exception {
        BpfAvailability.require();
        try (OtlpMetricsReceiver receiver = new OtlpMetricsReceiver();
             Launcher launcher = Launcher.start(List.of(), timers("--metrics.otlp-push-interval=1s"),
                     Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                             "OTEL_RESOURCE_ATTRIBUTES", "team=storage,deployment.environment=test",
                             "OTEL_EXPORTER_OTLP_HEADERS", "x-tenant=blue"))) {
            launcher.awaitLog("pushing metrics over OTLP (http/protobuf) to " + receiver.endpoint()
                    + "/v1/metrics every 1s", START);
            List<OtlpMetricsReceiver.Push> pushes = receiver.await(2, START);
            OtlpMetricsReceiver.Push push = pushes.get(1);
            assertThat(push.contentType()).isEqualTo("application/x-protobuf");
            assertThat(push.header("x-tenant")).isEqualTo("blue");
            assertThat(push.resource()).containsEntry("team", "storage").containsEntry("deployment.environment", "test")
                    .containsEntry("service.name", "ebpf_exporter")
                    .containsEntry("host.name", Files.readString(Path.of("/proc/sys/kernel/hostname")).trim());
            Metric enabled = push.metric("ebpf_exporter_enabled_configs").orElseThrow();
            assertThat(enabled.getGauge().getDataPointsList()).anySatisfy(p -> {
                assertThat(p.getAsDouble()).isEqualTo(1);
                assertThat(p.getAttributesList()).extracting(KeyValue::getKey).contains("name");
                assertThat(OtlpMetricsReceiver.text(p.getAttributesList())).containsEntry("name", "timers");
            });
            // the JVM's metrics, as a scrape serves them
            assertThat(push.metrics()).extracting(Metric::getName).anyMatch(n -> n.startsWith("jvm_"));
            assertThat(receiver.rejected()).isZero();
        }
    }

    @Test
    void sigtermPushesOnceMoreBeforeExiting() throws Exception {
        BpfAvailability.require();
        try (OtlpMetricsReceiver receiver = new OtlpMetricsReceiver();
             Launcher launcher = Launcher.start(List.of(), timers("--metrics.otlp-push-interval=1h"),
                     Map.of("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", receiver.endpoint() + "/v1/metrics"))) {
            launcher.awaitLog("listening on", START);
            assertThat(receiver.pushes()).isEmpty();
            launcher.process.destroy(); // SIGTERM
            assertThat(launcher.waitForExit(START)).isEqualTo(Main.EXIT_OK);
            assertThat(receiver.pushes()).as(launcher.log()).hasSize(1);
            assertThat(receiver.pushes().getFirst().metric("ebpf_exporter_enabled_configs")).isPresent();
        }
    }

    @Test
    void grpcIsRefusedAtStartWithOneLine() throws Exception {
        BpfAvailability.require();
        try (Launcher launcher = Launcher.start(List.of(), timers("--metrics.otlp-push-interval=10s"),
                Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1"))) {
            assertThat(launcher.waitForExit(START)).isEqualTo(1);
            assertThat(launcher.log()).contains("level=error source=Main msg=\"OTLP metrics push: protocol grpc is not"
                    + " supported (no gRPC sender is bundled, only HTTP); set OTEL_EXPORTER_OTLP_METRICS_PROTOCOL=http/protobuf\"\n");
        }
    }
}
