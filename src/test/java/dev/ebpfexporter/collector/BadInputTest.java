package dev.ebpfexporter.collector;

import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.InProcessExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Broken configs each give one clear line; the good config beside them keeps exporting; nothing leaks. */
class BadInputTest {

    @Test
    void eachBrokenConfigFailsAloneWithOneLineAndTheOthersKeepExporting(@TempDir Path dir) throws IOException {
        BpfAvailability.require();
        Path examples = BpfAvailability.examples();
        String timers = Files.readString(examples.resolve("timers.yaml"));
        Files.copy(examples.resolve("timers.yaml"), dir.resolve("timers.yaml"));
        Files.copy(examples.resolve("timers.bpf.o"), dir.resolve("timers.bpf.o"));
        // 1. A misspelt key: warned about and ignored (as the reference ignores it), so the counter has no labels.
        Files.writeString(dir.resolve("typo.yaml"), timers.replace("labels:", "lables:"));
        Files.copy(examples.resolve("timers.bpf.o"), dir.resolve("typo.bpf.o"));
        // 2. A valid YAML without its object file.
        Files.writeString(dir.resolve("noobject.yaml"), timers);
        // 3. A metric whose map is not in the object.
        Files.writeString(dir.resolve("nomap.yaml"), timers.replace("name: timer_starts_total", "name: no_such_map_total"));
        Files.copy(examples.resolve("timers.bpf.o"), dir.resolve("nomap.bpf.o"));
        // 4. An object file that is not ELF at all.
        Files.writeString(dir.resolve("garbage.yaml"), timers);
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        Files.write(dir.resolve("garbage.bpf.o"), noise);
        // 5. Labels that do not match the map's key size.
        Files.writeString(dir.resolve("keysize.yaml"), timers.replace("size: 8", "size: 4"));
        Files.copy(examples.resolve("timers.bpf.o"), dir.resolve("keysize.bpf.o"));

        long programsBefore = openBpfPrograms();
        try (InProcessExporter exporter = InProcessExporter.load(dir, "typo", "noobject", "nomap", "garbage", "keysize", "timers")) {
            assertThat(exporter.failures()).hasSize(5).allSatisfy(line -> assertThat(line).doesNotContain("\n"));
            assertThat(exporter.failures()).satisfiesExactlyInAnyOrder(
                    line -> assertThat(line).startsWith("config typo: " + dir.resolve("typo.yaml") + ":3:")
                            .contains("has no labels, so map timer_starts_total must have a 4-byte (u32) key, but its key is 8 bytes"),
                    line -> assertThat(line).contains("config noobject: BPF object", "noobject.bpf.o not found"),
                    line -> assertThat(line).contains("config nomap:", "map \"no_such_map_total\" not found in nomap.bpf.o",
                            "(maps: timer_starts_total)"),
                    line -> assertThat(line).contains("config garbage:", "garbage.bpf.o: damaged BPF object: no ELF magic"),
                    line -> assertThat(line).contains("config keysize:", "labels describe a 4-byte key",
                            "map timer_starts_total has 8-byte keys"));
            assertThat(exporter.configs()).extracting(LoadedConfig::name).containsExactly("timers");
            assertThat(exporter.scrape().named("ebpf_exporter_enabled_configs")).hasSize(1);
            assertThat(openBpfPrograms()).as("only the good config's program is loaded").isEqualTo(programsBefore + 1);
        }
        assertThat(openBpfPrograms()).as("closing unloads everything").isEqualTo(programsBefore);
    }

    /** BPF programs this process holds, from /proc/self/fdinfo (each has a prog_type line). */
    static long openBpfPrograms() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fdinfo"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readString(fd).contains("prog_type:");
                } catch (IOException e) {
                    return false; // the fd closed while we looked
                }
            }).count();
        }
    }
}
