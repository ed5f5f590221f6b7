package dev.ebpfexporter.build;

import dev.ebpfexporter.bpf.sys.LibBpf;
import dev.ebpfexporter.bpf.sys.NativeLibraries;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.DwarfSources;
import dev.ebpfexporter.testing.TestTools;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled examples and the test programs are compiled against the BPF-side headers of the libbpf we ship
 * (1.5, target/libbpf/include, installed by scripts/libbpf.sh), not the host's libbpf-dev (/usr/include/bpf):
 * each object's DWARF line table names the files its code came from, {@code bpf_helper_defs.h} and the rest of
 * libbpf's headers among them, each with its directory.
 */
class BpfHeadersTest {
    @Test
    void everyObjectTookLibbpfsHeadersFromOurLibbpf() throws Exception {
        TestTools.require("llvm-dwarfdump", "llvm");
        Path ours = NativeLibraries.find(LibBpf.LIBRARY).orElseThrow().getParent().resolveSibling("libbpf")
                .resolve("include").resolve("bpf").toRealPath();
        List<String> libbpfHeaders;
        try (Stream<Path> headers = Files.list(ours)) {
            libbpfHeaders = headers.map(h -> h.getFileName().toString()).toList();
        }
        assertThat(libbpfHeaders).contains("bpf_helpers.h", "bpf_helper_defs.h", "bpf_tracing.h");
        List<Path> objects = new ArrayList<>();
        for (Path dir : List.of(BpfAvailability.examples(), BpfAvailability.projectRoot().resolve("src/test/bpf"))) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> f.toString().endsWith(".bpf.o")).sorted().forEach(objects::add);
            }
        }
        assertThat(objects).hasSizeGreaterThan(20);
        for (Path object : objects) {
            List<Path> fromLibbpf = DwarfSources.of(object).stream()
                    .filter(f -> libbpfHeaders.contains(f.getFileName().toString())).toList();
            assertThat(fromLibbpf).as("libbpf's headers in %s", object).isNotEmpty()
                    .allSatisfy(header -> assertThat(header.getParent()).isEqualTo(ours));
        }
    }
}
