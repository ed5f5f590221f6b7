package dev.ebpfexporter.compat;

import dev.ebpfexporter.collector.ObjectLoader;
import dev.ebpfexporter.decoder.DecoderRegistry;
import dev.ebpfexporter.metrics.MetricOptions;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.tracing.StartupTrace;
import dev.ebpfexporter.tracing.Tracing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tracing.spans}: ring buffer events become OTLP spans with the event's ids, times and labels. */
public class TracingSpansTest {
    public static final String YAML = TestPrograms.SPANS_YAML;

    @Test
    void ringBufferEventsArriveAsSpansWithIdsParentsTimesAndAttributes(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            // Header values are URL-decoded by the SDK's own OTEL_EXPORTER_OTLP_HEADERS parsing.
            Map<String, String> settings = Map.of("otel.exporter.otlp.endpoint", receiver.endpoint(),
                    "otel.bsp.schedule.delay", "100", "otel.exporter.otlp.headers", "x-ebpf-test=a%20b%2Cc");
            Tracing tracing = Tracing.create(settings);
            ObjectLoader loader = new ObjectLoader(DecoderRegistry.forSystem()::create, Optional.empty(),
                    MetricOptions.DEFAULT, () -> tracing);
            long before = System.currentTimeMillis() * 1_000_000L;
            try (InProcessExporter exporter = InProcessExporter.load(loader,
                    TestPrograms.config(dir, "spans", "spans", YAML), "spans")) {
                assertThat(exporter.failures()).isEmpty();
                TestPrograms.runTarget(3);
                receiver.await("marker", 3, 10_000);
            } finally {
                tracing.close();
            }
            long after = System.currentTimeMillis() * 1_000_000L;
            List<OtlpReceiver.ReceivedSpan> spans = receiver.named("marker").stream()
                    .sorted(Comparator.comparing(OtlpReceiver.ReceivedSpan::spanId)).toList();
            assertThat(spans).hasSize(3);
            for (int i = 0; i < 3; i++) {
                var span = spans.get(i);
                long value = i + 1;
                assertThat(span.service()).as("resource service.name is the span config's service").isEqualTo("compat-spans");
                assertThat(span.scope()).isEqualTo("ebpf_exporter");
                assertThat(span.name()).isEqualTo("marker");
                assertThat(span.traceId()).isEqualTo("ab" + "00".repeat(14) + String.format("%02x", value));
                assertThat(span.spanId()).isEqualTo(String.format("%016x", 0x1000 + value));
                assertThat(span.parentSpanId()).isEqualTo(value == 1 ? "" : "0000000000001001");
                assertThat(span.endNanos() - span.startNanos()).isEqualTo(1_000_000L * value);
                assertThat(span.startNanos()).isBetween(before - 1_000_000_000L, after);
                assertThat(span.attributes()).isEqualTo(Map.of("value", Long.toString(value), "ebpf_exporter.config", "spans"));
            }
            assertThat(receiver.requestHeaders).isNotEmpty()
                    .allSatisfy(headers -> assertThat(headers).containsEntry("x-ebpf-test", "a b,c"));
        }
    }

    @Test
    void loadingAndUnloadingAreTracedUnderTheDefaultService(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        String service = Optional.ofNullable(System.getenv("OTEL_SERVICE_NAME")).orElse(Tracing.DEFAULT_SERVICE_NAME);
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Tracing tracing = Tracing.create(Map.of("otel.exporter.otlp.traces.endpoint", receiver.endpoint() + "/v1/traces",
                    "otel.bsp.schedule.delay", "100"));
            ObjectLoader loader = new ObjectLoader(DecoderRegistry.forSystem()::create, Optional.empty(),
                    MetricOptions.DEFAULT, () -> tracing);
            try (InProcessExporter exporter = InProcessExporter.load(loader, StartupTrace.of(tracing),
                    TestPrograms.config(dir, "spans", "spans", YAML), "spans")) {
                assertThat(exporter.failures()).isEmpty();
            } finally {
                tracing.close();
            }
            Map<String, OtlpReceiver.ReceivedSpan> byName = new java.util.HashMap<>();
            receiver.spans.forEach(s -> byName.put(s.name(), s));
            assertThat(byName).containsKeys("attach", "attach_configs", "attach_config", "new_module", "bpf_load_object",
                    "attach_module", "detach", "close_module");
            assertThat(byName.values()).allSatisfy(s -> {
                assertThat(s.service()).isEqualTo(service);
                assertThat(s.traceId()).isNotEqualTo("00".repeat(16));
            });
            var attach = byName.get("attach");
            assertThat(attach.parentSpanId()).isEmpty();
            assertThat(byName.get("attach_configs").parentSpanId()).isEqualTo(attach.spanId());
            var config = byName.get("attach_config");
            assertThat(config.parentSpanId()).isEqualTo(byName.get("attach_configs").spanId());
            assertThat(config.attributes()).containsEntry("config", "spans");
            for (String stage : List.of("new_module", "bpf_load_object", "attach_module")) {
                assertThat(byName.get(stage).parentSpanId()).as(stage).isEqualTo(config.spanId());
                assertThat(byName.get(stage).traceId()).as(stage).isEqualTo(attach.traceId());
            }
            var close = byName.get("close_module");
            assertThat(close.parentSpanId()).isEqualTo(byName.get("detach").spanId());
            assertThat(close.attributes()).containsEntry("config", "spans");
            assertThat(close.events()).contains("close{}")
                    .anySatisfy(e -> assertThat(e).startsWith("prog_detach{SEC=uprobe/").endsWith(":compat_marker}"));
        }
    }
}
