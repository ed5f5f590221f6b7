package dev.ebpfexporter.compat;

import dev.ebpfexporter.cli.Main;
import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --config.strict}: a program that does not attach (here a kprobe) makes startup fail with 1. */
class StrictModeTest {
    @Test
    void unattachedProgramFailsStartupUnderStrict(@TempDir Path dir) {
        BpfAvailability.require();
        TestPrograms.config(dir, "unattachable", "unattachable", AttachKindsTest.UNATTACHABLE_YAML);
        TestPrograms.config(dir, "fentry", "fentry", AttachKindsTest.FENTRY_YAML);
        for (String name : new String[]{"unattachable", "fentry"}) {
            int code = new CommandLine(new Main()).execute("--config.dir=" + dir, "--config.names=" + name,
                    "--config.strict", "--web.listen-address=127.0.0.1:0");
            assertThat(code).as("exit code with --config.strict for %s", name).isEqualTo(1);
        }
    }
}
