package dev.ebpfexporter.collector;

import dev.ebpfexporter.decoder.DecoderRegistry;
import dev.ebpfexporter.metrics.MetricOptions;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.InlinePrograms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reload of an inline file (BCC-style {@code programs:}): the file's programs are its configs, so programs
 * added to it are added, programs removed from it are removed, an inline file counts as changed as a whole,
 * and a file or a program that does not compile leaves what ran from it running.
 */
@Timeout(180)
class InlineReloadTest {
    private static final List<String> NAMES = List.of("progs");

    @Test
    void programsComeAndGoWithTheFile(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        ConfigFiles files = new ConfigFiles();
        Exporter exporter = new Exporter(new ObjectLoader(DecoderRegistry.forSystem()::create, Optional.empty(),
                MetricOptions.DEFAULT));
        try {
            write(dir, program("a", "calls.increment(0);"), program("b", "calls.increment(0);"));
            assertThat(exporter.load(files.readAll(dir, NAMES))).isEmpty();
            assertThat(names(exporter)).containsExactly("progs/a", "progs/b");

            assertThat(exporter.reload(files.readAll(dir, NAMES)).summary())
                    .isEqualTo("0 changed, 0 added, 0 removed, 2 unchanged");

            write(dir, program("a", "calls.increment(0);"), program("b", "calls.increment(0);"),
                    program("c", "calls.increment(0);"));
            assertThat(exporter.reload(files.readAll(dir, NAMES)).summary())
                    .as("the file changed: all its programs are reloaded").isEqualTo("2 changed, 1 added, 0 removed, 0 unchanged");
            assertThat(names(exporter)).containsExactly("progs/a", "progs/b", "progs/c");

            write(dir, program("a", "calls.increment(0);"), program("b", "calls.increment(0);"));
            assertThat(exporter.reload(files.readAll(dir, NAMES)).summary()).isEqualTo("2 changed, 0 added, 1 removed, 0 unchanged");
            assertThat(names(exporter)).containsExactly("progs/a", "progs/b");

            // b does not compile: a is swapped in, b's previous version keeps running.
            write(dir, program("a", "calls.increment(0); /* v2 */"), program("b", "calls.increment(0) nonsense;"));
            ReloadStatus partly = exporter.reload(files.readAll(dir, NAMES));
            assertThat(partly.summary()).isEqualTo("1 changed, 0 added, 0 removed, 0 unchanged, 1 failed");
            assertThat(partly.errors()).singleElement().asString().startsWith("config progs/b: ")
                    .endsWith("(the previous version keeps running)");
            assertThat(names(exporter)).containsExactlyInAnyOrder("progs/a", "progs/b");

            Files.writeString(dir.resolve("progs.yaml"), "programs: [");
            ReloadStatus broken = exporter.reload(files.readAll(dir, NAMES));
            assertThat(broken.successful()).isFalse();
            assertThat(broken.errors()).singleElement().asString().endsWith("(the previous version keeps running)");
            assertThat(names(exporter)).as("every program of a file that does not read runs on")
                    .containsExactlyInAnyOrder("progs/a", "progs/b");
            assertThat(exporter.failures()).isEmpty();
        } finally {
            exporter.close();
        }
    }

    private static List<String> names(Exporter exporter) {
        return exporter.configs().stream().map(LoadedConfig::name).toList();
    }

    private static void write(Path dir, String... programs) throws Exception {
        Files.writeString(dir.resolve("progs.yaml"), "programs:\n" + String.join("", programs));
    }

    /** A program counting system calls into a one-entry array, {@code body} being what it does per call. */
    private static String program(String name, String body) {
        return InlinePrograms.counter(name, "inline_reload_" + name + "_total", "raw_tracepoints:\n  sys_enter: count_" + name,
                "count_" + name, "struct bpf_raw_tracepoint_args", body);
    }
}
