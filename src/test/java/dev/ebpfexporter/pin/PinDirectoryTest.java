package dev.ebpfexporter.pin;

import dev.ebpfexporter.testing.BpfFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --bpf.pin-path}'s directory: on bpffs or refused in one line, and what it keeps at start. */
@Timeout(60)
class PinDirectoryTest {

    @Test
    void aDirectoryNotOnBpffsIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        String type = Files.getFileStore(dir).type();
        assertThatThrownBy(() -> PinDirectory.open(dir.resolve("pins")))
                .isInstanceOf(PinException.class)
                .hasMessage(dir.resolve("pins") + " is not on a BPF filesystem (" + dir + " is on " + type
                        + "); mount one first: mount -t bpf bpf /sys/fs/bpf");
    }

    @Test
    void aFileIsRefused(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "");
        assertThatThrownBy(() -> PinDirectory.open(file)).isInstanceOf(PinException.class)
                .hasMessage(file + " is not a directory");
    }

    @Test
    void theRootOfABpffsIsRefusedAndADirectoryBelowItIsMade() throws Exception {
        try (BpfFs fs = BpfFs.mount()) {
            assertThatThrownBy(() -> PinDirectory.open(fs.root())).isInstanceOf(PinException.class)
                    .hasMessage(fs.root() + " is the root of a BPF filesystem, which other programs share; give the"
                            + " exporter a directory of its own in it, e.g. " + fs.root().resolve("ebpf_exporter"));
            Path pins = fs.root().resolve("a/b");
            assertThat(PinDirectory.open(pins).root()).isEqualTo(pins);
            assertThat(Files.isDirectory(pins)).isTrue();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pins))).isEqualTo("rwx------");
            assertThat(PinDirectory.open(pins).root()).as("an existing directory opens again").isEqualTo(pins);
        }
    }

    @Test
    void atStartOnlyTheDirectoriesOfConfigsNotNamedAreRemoved() throws Exception {
        try (BpfFs fs = BpfFs.mount()) {
            PinDirectory pins = PinDirectory.open(fs.root().resolve("exporter"));
            for (String dir : List.of("timers", "old", "bio/bio_latency", "bio/gone", "broken/prog")) {
                Files.createDirectories(pins.root().resolve(dir));
            }
            List<String> removed = pins.removeAllBut(List.of("timers", "bio/bio_latency"), List.of("broken"));
            assertThat(removed).containsExactly("bio/gone", "old");
            assertThat(tree(pins.root())).containsExactly("bio", "bio/bio_latency", "broken", "broken/prog", "timers");

            pins.remove("bio/bio_latency");
            assertThat(tree(pins.root())).as("an inline file's directory goes with its last program")
                    .containsExactly("broken", "broken/prog", "timers");
        }
    }

    @Test
    void aConfigNameThatCannotBeADirectoryIsRefused() throws Exception {
        try (BpfFs fs = BpfFs.mount()) {
            PinDirectory pins = PinDirectory.open(fs.root().resolve("exporter"));
            assertThatThrownBy(() -> pins.forConfig("bio/a b")).isInstanceOf(PinException.class)
                    .hasMessage("config bio/a b: cannot pin its maps: the name has characters a pin directory cannot"
                            + " (letters, digits, _ . - only)");
        }
    }

    private static List<String> tree(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}
