package dev.ebpfexporter.cli;

import dev.ebpfexporter.btf.KernelBtf;
import dev.ebpfexporter.btf.RunningKernel;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.BtfArchives;
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

    /**
     * The running kernel's BTF given as a file and as an archive directory: the configs load with it (exit 0), the
     * pick is logged, and the file extracted from the {@code .tar.xz} is gone after the load.
     */
    @Test
    void aBtfFileOrThisKernelsArchiveDirectoryLoadsAndIsLogged(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        String examples = "--config.dir=" + BpfAvailability.examples();
        Path file = Files.write(dir.resolve("vmlinux.btf"), Files.readAllBytes(KernelBtf.SYSFS));
        StartupExitTest.Run run = StartupExitTest.run(examples, "--config.names=timers", "--config.check",
                "--btf.path=" + file);
        assertThat(run.exitCode()).as(run.log()).isZero();
        assertThat(lines(run, "kernel BTF:")).singleElement().asString().endsWith("kernel BTF: " + file + " (--btf.path)\"");

        RunningKernel kernel = RunningKernel.current();
        BpfAvailability.requireThat(kernel.versionId().isPresent(), "an /etc/os-release with VERSION_ID (the archive"
                + " layout needs it)");
        Path archive = BtfArchives.archiveFor(kernel, dir.resolve("archive"), file);
        run = StartupExitTest.run(examples, "--config.names=timers", "--config.check", "--btf.path=" + dir.resolve("archive"));
        assertThat(run.exitCode()).as(run.log()).isZero();
        String picked = lines(run, "kernel BTF:").getFirst();
        assertThat(picked).contains("kernel BTF: " + archive + " (" + kernel.release() + ".btf, extracted to ");
        Path extracted = Path.of(picked.substring(picked.indexOf("extracted to ") + "extracted to ".length(),
                picked.indexOf(") (--btf.path)")));
        assertThat(extracted).doesNotExist();
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
