package dev.ebpfexporter.build;

import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scripts/install-deps.sh as a non-root developer who has the build tools but none of the
 * test-only ones: {@code build} (what the build's validate phase runs) passes, {@code all} names
 * the missing packages and how to install them.
 */
class InstallDepsTest {
    private static final List<String> BUILD_TOOLS = List.of("clang", "llvm-strip", "bpftool", "make", "curl", "cc", "patch",
            "xz", "ls", "id");

    @TempDir
    Path bin;

    private record Result(int exit, String output) {
    }

    private Result run(String mode) throws Exception {
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "/bin/sh", BpfAvailability.projectRoot().resolve("scripts/install-deps.sh").toString()));
        command.add(mode);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", bin.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    @Test
    void buildNeedsOnlyTheBuildToolsAndAllNamesTheTestPackages() throws Exception {
        BpfAvailability.requireThat("root".equals(System.getProperty("user.name")), "not root (the test switches to nobody)");
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String tool : BUILD_TOOLS) {
            Path real = Path.of("/usr/bin", tool);
            if (!Files.exists(real)) {
                real = Path.of("/usr/sbin", tool);
            }
            if (!Files.exists(real)) {
                real = Path.of("/bin", tool);
            }
            assertThat(real).as("build tool " + tool).exists();
            Files.createSymbolicLink(bin.resolve(tool), real);
        }
        assertThat(run("build")).isEqualTo(new Result(0, ""));
        Result all = run("all");
        assertThat(all.exit()).isEqualTo(1);
        assertThat(all.output()).startsWith("error: missing system packages: prometheus openssl systemd")
                .contains("(install them with: sudo apt-get install prometheus openssl systemd");
    }
}
