package dev.ebpfexporter.compat;

import dev.ebpfexporter.cli.Main;
import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --config.strict}: a program that does not attach makes startup fail with 1. The kprobe here
 * is on a function no kernel has, so it fails everywhere, with or without kprobes; the timeout stops
 * the test if the exporter ever starts serving instead.
 */
class StrictModeTest {
    @Test
    @Timeout(120)
    void unattachedProgramFailsStartupUnderStrict(@TempDir Path dir) {
        BpfAvailability.require();
        TestPrograms.config(dir, "missing", "missing_function", TestPrograms.MISSING_FUNCTION_YAML);
        int code = new CommandLine(new Main()).execute("--config.dir=" + dir, "--config.names=missing",
                "--config.strict", "--web.listen-address=127.0.0.1:0");
        assertThat(code).as("exit code with --config.strict").isEqualTo(1);
    }
}
