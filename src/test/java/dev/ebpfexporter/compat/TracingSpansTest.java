package dev.ebpfexporter.compat;

import dev.ebpfexporter.collector.ObjectLoader;
import dev.ebpfexporter.decoder.DecoderRegistry;
import dev.ebpfexporter.metrics.SeriesLimit;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.InProcessExporter;
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
class TracingSpansTest {
    static final String YAML = """
            metrics:
              counters:
                - name: marker_calls_total
                  help: Calls of compat_marker
            tracing:
              spans:
                - name: marker
                  ringbuf: marker_spans
                  service: compat-spans
                  labels:
                    - name: trace_id
                      size: 16
                      decoders:
                        - name: hex
                    - name: parent_span_id
                      size: 8
                      decoders:
                        - name: hex
                    - name: span_id
                      size: 8
                      decoders:
                        - name: hex
                    - name: span_monotonic_timestamp_ns
                      size: 8
                      decoders:
                        - name: uint
                    - name: span_duration_ns
                      size: 8
                      decoders:
                        - name: uint
                    - name: span_name
                      size: 16
                      decoders:
                        - name: string
                    - name: value
                      size: 8
                      decoders:
                        - name: uint
            """;

    @Test
    void ringBufferEventsArriveAsSpansWithIdsParentsTimesAndAttributes(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            Map<String, String> settings = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                    "OTEL_BSP_SCHEDULE_DELAY", "100", "OTEL_SERVICE_NAME", "ebpf-exporter-test");
            Tracing tracing = Tracing.create(settings::get);
            ObjectLoader loader = new ObjectLoader(DecoderRegistry.forSystem()::create, Optional.empty(),
                    SeriesLimit.DEFAULT, () -> tracing);
            long before = System.currentTimeMillis() * 1_000_000L;
            try (InProcessExporter exporter = InProcessExporter.load(loader,
                    TestPrograms.config(dir, "spans", "spans", YAML), "spans")) {
                assertThat(exporter.failures()).isEmpty();
                TestPrograms.runTarget(3);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (receiver.spans.size() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            } finally {
                tracing.close();
            }
            long after = System.currentTimeMillis() * 1_000_000L;
            List<OtlpReceiver.ReceivedSpan> spans = receiver.spans.stream()
                    .sorted(Comparator.comparing(OtlpReceiver.ReceivedSpan::spanId)).toList();
            assertThat(spans).hasSize(3);
            for (int i = 0; i < 3; i++) {
                var span = spans.get(i);
                long value = i + 1;
                assertThat(span.scope()).isEqualTo("compat-spans");
                assertThat(span.name()).isEqualTo("marker");
                assertThat(span.traceId()).isEqualTo("ab" + "00".repeat(14) + String.format("%02x", value));
                assertThat(span.spanId()).isEqualTo(String.format("%016x", 0x1000 + value));
                assertThat(span.parentSpanId()).isEqualTo(value == 1 ? "" : "0000000000001001");
                assertThat(span.endNanos() - span.startNanos()).isEqualTo(1_000_000L * value);
                assertThat(span.startNanos()).isBetween(before - 1_000_000_000L, after);
                assertThat(span.attributes()).isEqualTo(Map.of("value", Long.toString(value)));
            }
        }
    }
}
