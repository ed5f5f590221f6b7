package dev.ebpfexporter.build;

import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scripts/libbpf.sh checks the source it fetched against the pinned sha256 before it compiles anything: with
 * another expected checksum (and a cache of its own) it fetches Debian's source package, refuses it in one
 * line naming both checksums, and leaves neither a cached build nor a library in the build directory.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LibbpfSourceIT {
    private static final String PINNED = "53492aff6dd47e4da04ef5e672d753b9743848bdb38e9d90eafbe190b7983c44";

    @TempDir
    Path dir;

    @Test
    void aSourceWhoseChecksumIsNotThePinnedOneIsRefused() throws Exception {
        BpfAvailability.require(); // root: apt-get with a private configuration, as the build runs it
        Path script = BpfAvailability.projectRoot().resolve("scripts/libbpf.sh");
        assertThat(script).content().contains("sha256=" + PINNED + "\n");
        String expected = "0" + PINNED.substring(1);
        ProcessBuilder builder = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true);
        builder.environment().put("EBPF_EXPORTER_LIBBPF_CACHE", dir.resolve("cache").toString());
        builder.environment().put("EBPF_EXPORTER_BUILD", dir.resolve("target").toString());
        builder.environment().put("EBPF_EXPORTER_LIBBPF_SHA256", expected);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(4, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(1);
        assertThat(output).endsWith("error: libbpf: libbpf_1.5.0.orig.tar.gz has sha256 " + PINNED + ", expected "
                + expected + "\n");
        assertThat(output).doesNotContain("compiling");
        assertThat(dir.resolve("target/native")).doesNotExist();
        try (var left = Files.list(dir.resolve("cache"))) {
            assertThat(left.map(p -> p.getFileName().toString())).as("what the cache keeps").containsExactly(".lock");
        }
    }
}
