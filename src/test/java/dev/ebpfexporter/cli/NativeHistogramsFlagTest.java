package dev.ebpfexporter.cli;

import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --metrics.native-histograms} reaches the histograms as they load. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NativeHistogramsFlagTest {
    private static final String CLASSIC_ONLY = "histogram bio_latency_seconds is served with classic buckets only "
            + "(no native histogram): bucket_multiplier 0.000001 is not a power of two, so its bounds are not powers of two";

    @Test
    void aHistogramThatCannotBeNativeIsSaidOnceWhenNativeIsOn() {
        BpfAvailability.require();
        StartupExitTest.Run run = StartupExitTest.run("--config.dir=" + BpfAvailability.examples(),
                "--config.names=biolatency", "--config.check");
        assertThat(run.exitCode()).as("log:\n%s", run.log()).isZero();
        assertThat(run.log().lines().filter(line -> line.contains(CLASSIC_ONLY)))
                .singleElement().asString().contains("level=info").contains("biolatency.yaml:4: ");
    }

    @Test
    void noMetricsNativeHistogramsTurnsItOff() {
        BpfAvailability.require();
        for (String off : new String[]{"--no-metrics.native-histograms", "--metrics.native-histograms=false"}) {
            StartupExitTest.Run run = StartupExitTest.run("--config.dir=" + BpfAvailability.examples(),
                    "--config.names=biolatency", "--config.check", off);
            assertThat(run.exitCode()).as("log:\n%s", run.log()).isZero();
            assertThat(run.log()).as(off).doesNotContain("classic buckets only");
        }
    }
}
