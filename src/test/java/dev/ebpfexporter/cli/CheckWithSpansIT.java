package dev.ebpfexporter.cli;

import dev.ebpfexporter.compat.TestPrograms;
import dev.ebpfexporter.compat.TracingSpansTest;
import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A config with {@code tracing.spans} and no OTLP endpoint in the environment: nothing is pushed, so a
 * {@code --config.check} takes about as long as one of the same config without spans (it took 11-21 s
 * when the SDK's default, {@code localhost:4318}, was tried with retries, and logged a ConnectException).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CheckWithSpansIT {
    private static final Duration EXIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private long checkMillis(String name, StringBuilder log) throws Exception {
        long start = System.nanoTime();
        try (Launcher launcher = Launcher.start("--config.dir=" + dir, "--config.names=" + name, "--config.check")) {
            assertThat(launcher.waitForExit(EXIT)).as(launcher.log()).isZero();
            log.append(launcher.log());
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void aCheckOfAConfigWithSpansPushesNothingWithoutAnEndpointAndTakesAsLongAsAPlainOne() throws Exception {
        BpfAvailability.require();
        String yaml = TracingSpansTest.YAML;
        TestPrograms.config(dir, "withspans", "spans", yaml);
        TestPrograms.config(dir, "plain", "spans", yaml.substring(0, yaml.indexOf("tracing:")));
        StringBuilder plainLog = new StringBuilder();
        StringBuilder spansLog = new StringBuilder();
        long plain = checkMillis("plain", plainLog);
        long spans = checkMillis("withspans", spansLog);
        assertThat(spansLog).as("the check's log")
                .contains("tracing: spans not pushed over OTLP: no endpoint configured (set OTEL_EXPORTER_OTLP_ENDPOINT"
                        + " or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)")
                .doesNotContain("ConnectException").doesNotContain("4318");
        assertThat(spans).as("check with spans (ms) against a plain check of %d ms; log:%n%s", plain, spansLog)
                .isLessThan(plain + 3_000);
    }
}
