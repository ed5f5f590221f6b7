package dev.ebpfexporter.build;

import dev.ebpfexporter.bpf.sys.LibBpf;
import dev.ebpfexporter.bpf.sys.NativeLibraries;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.TestTools;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled examples and the test programs are compiled against the BPF-side headers of the libbpf we ship
 * (1.5, target/libbpf/include, installed by scripts/libbpf.sh), not the host's libbpf-dev (/usr/include/bpf):
 * each object's DWARF line table names the files its code came from, {@code bpf_helper_defs.h} and the rest of
 * libbpf's headers among them, each with its directory.
 */
class BpfHeadersTest {
    private static final Pattern DIRECTORY = Pattern.compile("include_directories\\[\\s*(\\d+)] = \"([^\"]+)\"");
    private static final Pattern FILE = Pattern.compile("name: \"([^\"]+)\"\\s+dir_index: (\\d+)");

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
            List<Path> fromLibbpf = sourceFiles(object).stream()
                    .filter(f -> libbpfHeaders.contains(f.getFileName().toString())).toList();
            assertThat(fromLibbpf).as("libbpf's headers in %s", object).isNotEmpty()
                    .allSatisfy(header -> assertThat(header.getParent()).isEqualTo(ours));
        }
    }

    /** The files of {@code object}'s DWARF line table, each resolved against its include directory. */
    private static List<Path> sourceFiles(Path object) throws Exception {
        Process dump = new ProcessBuilder("llvm-dwarfdump", "--debug-line", object.toString())
                .redirectErrorStream(true).start();
        String output = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(dump.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(dump.exitValue()).as(output).isZero();
        Map<Integer, Path> directories = new HashMap<>();
        Matcher d = DIRECTORY.matcher(output);
        while (d.find()) {
            directories.putIfAbsent(Integer.parseInt(d.group(1)), Path.of(d.group(2)));
        }
        Path compilation = directories.get(0);
        List<Path> files = new ArrayList<>();
        Matcher f = FILE.matcher(output);
        while (f.find()) {
            Path dir = compilation.resolve(directories.get(Integer.parseInt(f.group(2))));
            Path file = dir.resolve(f.group(1)).normalize();
            if (!files.contains(file)) {
                files.add(file);
            }
        }
        return files;
    }
}
