package dev.ebpfexporter.compat;

import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kaddrs}: globals set from /proc/kallsyms before load, in .rodata and in .bss. */
class KaddrsTest {
    static final String METRICS = """
            metrics:
              counters:
                - name: kaddr_low
                  help: Low 32 bits of the kaddr globals, copied by the program
                  labels:
                    - name: slot
                      size: 4
                      decoders:
                        - name: uint
            """;

    @Test
    void setsConstVolatileAndBssGlobalsToKallsymsAddresses(@TempDir Path dir) throws IOException {
        String yaml = METRICS + "kaddrs:\n  - _stext\n  - _text\n";
        try (InProcessExporter exporter = TestPrograms.loaded(dir, "kaddr", "kaddr", yaml)) {
            TestPrograms.runTarget(1);
            Samples samples = exporter.scrape();
            assertThat(samples.sum("ebpf_exporter_kaddr_low", s -> s.label("slot").equals("0")))
                    .isEqualTo((double) (address("_stext") & 0xffffffffL));
            assertThat(samples.sum("ebpf_exporter_kaddr_low", s -> s.label("slot").equals("1")))
                    .isEqualTo((double) (address("_text") & 0xffffffffL));
        }
    }

    @Test
    void unknownSymbolFailsTheConfigInOneLineNamingFileSymbolAndVariable(@TempDir Path dir) {
        String yaml = METRICS + "kaddrs:\n  - no_such_symbol_for_sure\n";
        try (InProcessExporter exporter = InProcessExporter.load(TestPrograms.config(dir, "kaddr", "kaddr", yaml), "kaddr")) {
            assertThat(exporter.failures()).singleElement().asString()
                    .contains("kaddr.yaml", "no_such_symbol_for_sure", "kaddr_no_such_symbol_for_sure")
                    .doesNotContain("\n");
        }
    }

    @Test
    void symbolWithoutItsGlobalFailsTheConfigNamingTheVariable(@TempDir Path dir) {
        String yaml = METRICS + "kaddrs:\n  - _etext\n";
        try (InProcessExporter exporter = InProcessExporter.load(TestPrograms.config(dir, "kaddr", "kaddr", yaml), "kaddr")) {
            assertThat(exporter.failures()).singleElement().asString()
                    .contains("kaddr.yaml", "_etext", "kaddr__etext", "kaddr.bpf.o").doesNotContain("\n");
        }
    }

    static long address(String symbol) throws IOException {
        try (var lines = Files.lines(Path.of("/proc/kallsyms"))) {
            return lines.map(l -> l.split("\\s+")).filter(f -> f.length >= 3 && f[2].equals(symbol))
                    .mapToLong(f -> Long.parseUnsignedLong(f[0], 16)).findFirst().orElseThrow();
        }
    }
}
