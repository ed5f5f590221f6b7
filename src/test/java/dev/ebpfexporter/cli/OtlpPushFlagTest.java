package dev.ebpfexporter.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --metrics.otlp-push-interval}: a Go duration, off by default, bad values exit 1 with one line. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OtlpPushFlagTest {
    @Test
    void goDurationsAndZeroForOff() {
        assertThat(Main.pushInterval("0s")).isZero();
        assertThat(Main.pushInterval("0")).isZero();
        assertThat(Main.pushInterval("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Main.pushInterval("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Main.pushInterval("250ms")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void offByDefault() throws Exception {
        Main main = new Main();
        new picocli.CommandLine(main).parseArgs("--config.dir=/x", "--config.names=y");
        assertThat(Main.pushInterval(main.otlpPushInterval)).isZero();
    }

    @Test
    void badValuesAreOneLine() {
        assertThatThrownBy(() -> Main.pushInterval("30")).hasMessage(
                "--metrics.otlp-push-interval: \"30\" is not a duration like 30s or 1m");
        assertThatThrownBy(() -> Main.pushInterval("-1s")).hasMessage(
                "--metrics.otlp-push-interval: must be 0s (off) or at least 1ms, got -1s");
        assertThatThrownBy(() -> Main.pushInterval("10us")).hasMessage(
                "--metrics.otlp-push-interval: must be 0s (off) or at least 1ms, got 10us");
    }

    @Test
    void badValueExitsOneBeforeLoadingAnything(@TempDir Path dir) {
        StartupExitTest.Run run = StartupExitTest.run("--config.dir=" + dir, "--config.names=timers",
                "--metrics.otlp-push-interval=soon");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.log()).isEqualTo(
                "ebpf_exporter: --metrics.otlp-push-interval: \"soon\" is not a duration like 30s or 1m\n");
    }
}
