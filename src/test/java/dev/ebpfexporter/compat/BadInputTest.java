package dev.ebpfexporter.compat;

import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.InProcessExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static dev.ebpfexporter.compat.TestPrograms.counter;
import static dev.ebpfexporter.compat.TestPrograms.labelledCounter;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input of every kind fails its own config with one line that names the place, while a good
 * config loaded beside it keeps exporting, and nothing stays loaded in the kernel afterwards.
 */
class BadInputTest {
    static final String GOOD = counter("unlabelled_events_total", "Events without labels");

    private static String failure(Path dir, String name, String object, String yaml) {
        TestPrograms.config(dir, "good", "maps", GOOD);
        TestPrograms.config(dir, name, object, yaml);
        try (InProcessExporter exporter = InProcessExporter.load(dir, "good", name)) {
            assertThat(exporter.configs()).extracting(c -> c.name()).containsExactly("good");
            assertThat(exporter.scrape().named("ebpf_exporter_unlabelled_events_total")).hasSize(1);
            assertThat(exporter.failures()).hasSize(1);
            String failure = exporter.failures().getFirst();
            assertThat(failure).doesNotContain("\n").contains(name);
            return failure;
        }
    }

    @Test
    void unknownDecoder(@TempDir Path dir) {
        assertThat(failure(dir, "bad", "maps", labelledCounter("hash_events_total", "h", "kind", 4, "unitt")))
                .contains("bad.yaml:", "unitt");
    }

    @Test
    void aDecoderThatCannotReadTheLabelFailsAtLoadNotWithGarbageLabels(@TempDir Path dir) {
        // The reference loads both and exports "?" plus hex, or "unknown:" plus the key's raw bytes.
        assertThat(failure(dir, "bad", "maps", labelledCounter("lru_events_total", "h", "addr", 8, "inet_ip"))).endsWith("bad.yaml:9: decoder \"inet_ip\" needs 4 (IPv4) or 16 (IPv6) bytes, but the label has 8");
        assertThat(failure(dir, "raw", "maps", labelledCounter("lru_events_total", "h", "kind", 8, "static_map")
                + "              static_map: {1: one}\n")).endsWith("raw.yaml:9: decoder \"static_map\" reads text, but it is the label's first decoder and"
                + " would get its 8 raw bytes: put a decoder such as uint or string before it");
    }

    @Test
    void wrongTypeForAField(@TempDir Path dir) {
        String sizeInWords = labelledCounter("hash_events_total", "h", "kind", 4, "uint").replace("size: 4", "size: four");
        assertThat(failure(dir, "bad", "maps", sizeInWords)).contains("bad.yaml:7", "size");
    }

    @Test
    void badRegexpInDecoderAndInCgroupIdMap(@TempDir Path dir) {
        assertThat(failure(dir, "bad", "maps", labelledCounter("lru_events_total", "h", "name", 8, "regexp")
                + "              regexps: [\"(unclosed\"]\n")).contains("bad.yaml:", "(unclosed");
        assertThat(failure(dir, "badcg", "cgroup_ids", TestPrograms.cgroupIds("cgroup_id_map", "hash", "[unclosed")))
                .contains("badcg.yaml:", "[unclosed");
    }

    @Test
    void keySizeThatDoesNotMatchTheMap(@TempDir Path dir) {
        assertThat(failure(dir, "bad", "maps", labelledCounter("hash_events_total", "h", "kind", 8, "uint"))).contains("bad.yaml:", "hash_events_total", "8-byte", "4-byte");
    }

    @Test
    void missingMapsRingbufAndCgroupMap(@TempDir Path dir) {
        assertThat(failure(dir, "bad", "maps", counter("no_such_map_total", "h"))).contains("bad.yaml:", "no_such_map_total", "not found");
        assertThat(failure(dir, "badspan", "maps", """
                tracing:
                  spans:
                    - name: s
                      ringbuf: no_such_ringbuf
                      labels: []
                """)).contains("badspan.yaml:", "no_such_ringbuf");
        assertThat(failure(dir, "badcg", "maps", counter("unlabelled_events_total", "h")
                + TestPrograms.cgroupIdMap("no_such_cgroup_map", "hash", ".*"))).contains("badcg.yaml:", "no_such_cgroup_map");
    }

    @Test
    void malformedObjects(@TempDir Path dir) throws IOException {
        TestPrograms.config(dir, "random", "maps", GOOD);
        byte[] random = new byte[4096];
        new Random(42).nextBytes(random);
        Files.write(dir.resolve("random.bpf.o"), random);
        TestPrograms.config(dir, "truncated", "maps", GOOD);
        byte[] elf = Files.readAllBytes(TestPrograms.sources().resolve("maps.bpf.o"));
        Files.write(dir.resolve("truncated.bpf.o"), Arrays.copyOf(elf, elf.length / 3));
        TestPrograms.config(dir, "good", "maps", GOOD);
        try (InProcessExporter exporter = InProcessExporter.load(dir, "good", "random", "truncated")) {
            assertThat(exporter.configs()).extracting(c -> c.name()).containsExactly("good");
            assertThat(exporter.failures()).hasSize(2).allSatisfy(f -> assertThat(f).doesNotContain("\n"));
            assertThat(exporter.failures().get(0)).contains("random", "random.bpf.o");
            assertThat(exporter.failures().get(1)).contains("truncated", "truncated.bpf.o");
        }
    }

    @Test
    void verifierRejectionShowsTheLogsLastLines(@TempDir Path dir) {
        assertThat(failure(dir, "rejected", "rejected", counter("rejected_total", "h"))).contains("rejected.bpf.o", "verifier log", "invalid mem access");
    }

    @Test
    void failedLoadsLeakNoProgramsMapsOrLinks(@TempDir Path dir) throws IOException {
        BpfAvailability.require();
        long before = bpfFds();
        for (int i = 0; i < 3; i++) {
            verifierRejectionShowsTheLogsLastLines(dir);
            keySizeThatDoesNotMatchTheMap(dir);
            missingMapsRingbufAndCgroupMap(dir);
        }
        assertThat(bpfFds()).isEqualTo(before);
    }

    /** File descriptors of this process that are BPF programs, maps or links. */
    static long bpfFds() throws IOException {
        long count = 0;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("anon_inode:bpf")) {
                        count++;
                    }
                } catch (IOException gone) {
                    // closed while listing
                }
            }
        }
        return count;
    }
}
