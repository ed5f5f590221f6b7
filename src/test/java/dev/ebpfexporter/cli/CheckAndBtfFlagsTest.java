package dev.ebpfexporter.cli;

import dev.ebpfexporter.collector.ObjectLoader;
import dev.ebpfexporter.decoder.DecoderRegistry;
import dev.ebpfexporter.metrics.MetricOptions;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.InProcessExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --config.check} exit codes, and {@code --btf.path} reaching libbpf's CO-RE relocation. */
class CheckAndBtfFlagsTest {

    @Test
    void configCheckExitsZeroForValidConfigsAndOneForABrokenOne(@TempDir Path dir) throws IOException {
        BpfAvailability.require();
        Path examples = BpfAvailability.examples();
        assertThat(run("--config.dir=" + examples, "--config.names=timers,biolatency", "--config.check")).isZero();

        Files.copy(examples.resolve("timers.bpf.o"), dir.resolve("bad.bpf.o"));
        Files.writeString(dir.resolve("bad.yaml"),
                Files.readString(examples.resolve("timers.yaml")).replace("size: 8", "size: 2"));
        assertThat(run("--config.dir=" + dir, "--config.names=bad", "--config.check")).isEqualTo(1);
        assertThat(run("--config.dir=" + dir, "--config.names=missing", "--config.check")).isEqualTo(1);
    }

    @Test
    void btfPathIsUsedForCoreRelocations(@TempDir Path dir) throws IOException {
        BpfAvailability.require();
        // The kernel's own BTF given as an external file: loads and attaches as usual.
        try (InProcessExporter exporter = InProcessExporter.load(loader(Path.of("/sys/kernel/btf/vmlinux")),
                BpfAvailability.examples(), "timers")) {
            assertThat(exporter.failures()).isEmpty();
            assertThat(exporter.configs().getFirst().programs()).allSatisfy(p -> assertThat(p.attached()).isTrue());
        }
        // A file that is not BTF: the config fails with one line naming it, nothing else happens.
        Path notBtf = dir.resolve("not.btf");
        byte[] noise = new byte[512];
        new Random(7).nextBytes(noise);
        Files.write(notBtf, noise);
        try (InProcessExporter exporter = InProcessExporter.load(loader(notBtf), BpfAvailability.examples(), "timers")) {
            assertThat(exporter.configs()).isEmpty();
            assertThat(exporter.failures()).singleElement().asString().contains("config timers:").doesNotContain("\n");
        }
    }

    private static ObjectLoader loader(Path btf) {
        return new ObjectLoader(DecoderRegistry.forSystem()::create, Optional.of(btf), MetricOptions.DEFAULT);
    }

    private static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }
}
