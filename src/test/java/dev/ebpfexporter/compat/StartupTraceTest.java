package dev.ebpfexporter.compat;

import dev.ebpfexporter.cli.Main;
import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exporter traces its own start-up when tracing is configured (here by {@code -Dotel.*}
 * properties, which the SDK reads like the {@code OTEL_*} variables): a {@code --config.check} run
 * sends {@code attach} with one {@code attach_config} per config, and {@code detach}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StartupTraceTest {
    @Test
    void aCheckRunSendsTheStartupTraceOfEveryConfig() throws Exception {
        BpfAvailability.require();
        Map<String, String> properties = Map.of("otel.bsp.schedule.delay", "50");
        try (OtlpReceiver receiver = new OtlpReceiver()) {
            System.setProperty("otel.exporter.otlp.endpoint", receiver.endpoint());
            properties.forEach(System::setProperty);
            int code;
            try {
                code = new CommandLine(new Main()).execute("--config.dir=" + BpfAvailability.examples(),
                        "--config.names=timers,biolatency", "--config.check");
            } finally {
                System.clearProperty("otel.exporter.otlp.endpoint");
                properties.keySet().forEach(System::clearProperty);
            }
            assertThat(code).isZero();
            assertThat(receiver.await("attach_config", 2, 10_000)).extracting(s -> s.attributes().get("config"))
                    .containsExactlyInAnyOrder("timers", "biolatency");
            assertThat(receiver.await("close_module", 2, 10_000)).hasSize(2);
            List<OtlpReceiver.ReceivedSpan> roots = receiver.spans.stream().filter(s -> s.parentSpanId().isEmpty()).toList();
            assertThat(roots).extracting(OtlpReceiver.ReceivedSpan::name).containsExactlyInAnyOrder("attach", "detach");
            assertThat(receiver.spans).allSatisfy(s -> assertThat(s.error()).as(s.name()).isFalse());
        }
    }
}
