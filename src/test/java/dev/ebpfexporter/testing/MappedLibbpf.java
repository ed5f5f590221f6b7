package dev.ebpfexporter.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which libbpf a process runs, as its {@code /proc/<pid>/maps} shows: ours (the build's libbpf.so.1.5.0 and
 * the libelf.so.1 beside it), and no other copy of either (the host's libbpf.so.1.1.2, say).
 */
public final class MappedLibbpf {
    private MappedLibbpf() {
    }

    /** Asserts that {@code maps} ({@code /proc/<pid>/maps}) maps libbpf only from {@code nativeDir}, version 1.5.0. */
    public static void assertOurs(Path maps, Path nativeDir) throws IOException {
        List<String> files = mappedFiles(maps);
        String libbpf = nativeDir.resolve("libbpf.so.1.5.0").toString();
        String libelf = nativeDir.resolve("libelf.so.1").toString();
        assertThat(files).as("libbpf mapped in %s", maps).filteredOn(f -> fileName(f).startsWith("libbpf.so"))
                .isNotEmpty().allMatch(libbpf::equals);
        assertThat(files).as("libelf mapped in %s", maps).filteredOn(f -> fileName(f).startsWith("libelf"))
                .isNotEmpty().allMatch(libelf::equals);
    }

    /** The paths of the files mapped in {@code maps}. */
    public static List<String> mappedFiles(Path maps) throws IOException {
        return Files.readAllLines(maps).stream()
                .map(line -> line.split("\\s+", 6))
                .filter(fields -> fields.length == 6 && fields[5].startsWith("/"))
                .map(fields -> fields[5])
                .distinct()
                .toList();
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
