package dev.ebpfexporter.cli;

import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The reference's flags and kingpin's rules: {@code --no-<flag>} for booleans, exit 1 for any bad command line. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KingpinFlagsTest {
    @Test
    void badCommandLinesExitOne(@TempDir Path dir) {
        String names = "--config.names=timers";
        assertThat(StartupExitTest.run("--config.dir=" + dir, names, "--no-such-flag").exitCode()).as("unknown flag").isEqualTo(1);
        assertThat(StartupExitTest.run(names, "--config.check").exitCode()).as("no --config.dir").isEqualTo(1);
        assertThat(StartupExitTest.run("--config.dir=" + dir.resolve("absent"), names, "--config.check").exitCode())
                .as("--config.dir that does not exist").isEqualTo(1);
        assertThat(StartupExitTest.run("--config.dir=" + dir, names, "--config.skip-cache-size=many").exitCode())
                .as("--config.skip-cache-size not a number").isEqualTo(1);
        assertThat(StartupExitTest.run("--config.dir=" + dir, names, "--log.level=loud").exitCode())
                .as("bad --log.level").isEqualTo(1);
    }

    @Test
    void referenceFlagsAndNegatedBooleansAreAccepted() {
        BpfAvailability.require();
        StartupExitTest.Run run = StartupExitTest.run("--config.dir=" + BpfAvailability.examples(), "--config.names=timers",
                "--config.check", "--no-config.strict", "--no-debug", "--no-config.allow-failures",
                "--config.skip-cache-size=1024", "--log.no-timestamps");
        assertThat(run.exitCode()).as("log:\n%s", run.log()).isZero();
        assertThat(run.log().lines().toList()).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("level="));

        StartupExitTest.Run withTime = StartupExitTest.run("--config.dir=" + BpfAvailability.examples(),
                "--config.names=timers", "--config.check", "--no-log.no-timestamps",
                "--log.format=json");
        assertThat(withTime.exitCode()).isZero();
        assertThat(withTime.log().lines().toList()).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("{\"time\":"));
    }
}
