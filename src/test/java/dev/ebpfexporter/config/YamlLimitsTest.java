package dev.ebpfexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not configs are refused in one line, fast, before the YAML parser sees them. */
class YamlLimitsTest {
    private static final Duration FAST = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private String loadError(String name) {
        return assertTimeoutPreemptively(FAST, () -> {
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> new ConfigLoader().load(dir, name));
            assertThat(thrown).isInstanceOf(ConfigException.class);
            assertThat(thrown.getMessage()).doesNotContain("\n");
            return thrown.getMessage();
        });
    }

    @Test
    void devZeroIsNotARegularFile() throws Exception {
        Files.createSymbolicLink(dir.resolve("zero.yaml"), Path.of("/dev/zero"));
        assertThat(loadError("zero")).isEqualTo(dir.resolve("zero.yaml")
                + ": not a regular file (a config is a YAML file, not a device, FIFO or socket)");
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("fifo.yaml");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        assertThat(loadError("fifo")).isEqualTo(fifo
                + ": not a regular file (a config is a YAML file, not a device, FIFO or socket)");
    }

    @Test
    void aDirectoryIsRefused() throws Exception {
        Files.createDirectory(dir.resolve("d.yaml"));
        assertThat(loadError("d")).isEqualTo(dir.resolve("d.yaml")
                + ": not a regular file (a config is a YAML file, not a directory)");
    }

    @Test
    void a300MegabyteFileIsRefusedBeforeItIsRead() throws Exception {
        try (RandomAccessFile big = new RandomAccessFile(dir.resolve("big.yaml").toFile(), "rw")) {
            big.setLength(300L << 20); // sparse: costs no disk
        }
        assertThat(loadError("big")).isEqualTo(dir.resolve("big.yaml")
                + ": too large for a config (314572800 bytes, at most 1048576)");
    }

    @Test
    void aTenMegabyteScalarIsRefusedFast() throws Exception {
        Files.writeString(dir.resolve("help.yaml"), "metrics:\n  counters:\n    - name: c\n      help: "
                + "x".repeat(10 << 20) + "\n");
        assertThat(loadError("help")).startsWith(dir.resolve("help.yaml") + ": too large for a config (");
        String text = "help: " + "x".repeat(10 << 20);
        assertTimeoutPreemptively(FAST, () -> assertThatThrownBy(() -> YamlDocument.compose(Path.of("t.yaml"), text))
                .hasMessage("t.yaml: too large for a config (10485766 bytes, at most 1048576)"));
    }

    @Test
    void aScalarJustUnderTheLimitIsReadFast() throws Exception {
        String help = "x".repeat(YamlDocument.MAX_BYTES - 100);
        Files.writeString(dir.resolve("long.yaml"), "metrics:\n  counters:\n    - name: c\n      help: " + help + "\n");
        // CPU time of this thread, not wall time: a loaded machine must not fail the test.
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        ExporterConfig config = new ConfigLoader().load(dir, "long");
        Duration cpu = Duration.ofNanos(threads.getCurrentThreadCpuTime() - start);
        assertThat(config.counters().getFirst().help()).isEqualTo(help);
        assertThat(cpu).as("CPU time to read a config just under the size limit").isLessThan(FAST);
    }

    @Test
    void nesting1000DeepIsRefusedWithoutStackOverflow() throws Exception {
        Files.writeString(dir.resolve("flow.yaml"), "metrics: " + "[".repeat(1000) + "]".repeat(1000) + "\n");
        assertThat(loadError("flow")).isEqualTo(dir.resolve("flow.yaml")
                + ":1: nested deeper than 100 levels of maps and lists");
        StringBuilder block = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            block.append(" ".repeat(i)).append("k").append(i).append(":\n");
        }
        Files.writeString(dir.resolve("block.yaml"), block.toString());
        assertThat(loadError("block")).isEqualTo(dir.resolve("block.yaml")
                + ":101: nested deeper than 100 levels of maps and lists");
    }

    @Test
    void nestingUpToTheLimitIsComposed() throws ConfigException {
        String text = "a: " + "[".repeat(YamlDocument.MAX_DEPTH - 1) + "]".repeat(YamlDocument.MAX_DEPTH - 1) + "\n";
        assertThat(YamlDocument.compose(Path.of("t.yaml"), text)).isPresent();
    }
}
