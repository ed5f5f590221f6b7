package dev.ebpfexporter.cli;

import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A {@code --btf.path} that gives no BTF, and an architecture the table lacks: exit 1 with one line naming it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BtfPathAndArchitectureStartupTest {

    @Test
    void aBadBtfPathStopsTheStartWithOneLineNamingIt(@TempDir Path dir) throws IOException {
        String examples = "--config.dir=" + BpfAvailability.examples();
        Path missing = dir.resolve("missing.btf");
        StartupExitTest.Run run = StartupExitTest.run(examples, "--config.names=timers", "--config.check",
                "--btf.path=" + missing);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(lines(run, "--btf.path")).containsExactly("ebpf_exporter: --btf.path: " + missing + ": no such file or directory");

        Path notBtf = Files.writeString(dir.resolve("vmlinux.txt"), "text");
        run = StartupExitTest.run(examples, "--config.names=timers", "--config.check", "--btf.path=" + notBtf);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(lines(run, "--btf.path")).containsExactly("ebpf_exporter: --btf.path: " + notBtf
                + ": not a BTF file (it does not start with BTF's magic 0xeB9F)");

        Path emptyArchive = Files.createDirectory(dir.resolve("archive"));
        run = StartupExitTest.run(examples, "--config.names=timers", "--config.check", "--btf.path=" + emptyArchive);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(lines(run, "--btf.path")).singleElement().asString()
                .startsWith("ebpf_exporter: --btf.path: " + emptyArchive + ": ")
                .contains(System.getProperty("os.version") + ".btf");
    }

    @Test
    void anArchitectureTheTableLacksIsRefusedInOneLine(@TempDir Path dir) {
        String osArch = System.getProperty("os.arch");
        System.setProperty("os.arch", "riscv64");
        StartupExitTest.Run run;
        try {
            run = StartupExitTest.run("--config.dir=" + dir, "--config.names=timers", "--config.check");
        } finally {
            System.setProperty("os.arch", osArch);
        }
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.log().strip()).isEqualTo("ebpf_exporter: unsupported architecture: os.arch is \"riscv64\";"
                + " supported: x86_64 (amd64, x86_64), aarch64 (aarch64)");
    }

    private static java.util.List<String> lines(StartupExitTest.Run run, String containing) {
        return Arrays.stream(run.log().split("\n")).filter(l -> l.contains(containing)).toList();
    }
}
