package dev.ebpfexporter.bpf.sys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Where our native libraries are found, in each layout the exporter runs from. */
class NativeLibrariesTest {
    private static final String NAME = "libbpf.so.1";

    @TempDir
    Path root;

    @Test
    void besideTheClassesOrTheJarInTheSourceTree() throws Exception {
        Path target = Files.createDirectories(root.resolve("target"));
        Path library = Files.createDirectories(target.resolve("native")).resolve(NAME);
        assertThat(NativeLibraries.find(target.resolve("ebpf-exporter.jar"), NAME)).isEmpty();
        Files.writeString(library, "");
        assertThat(NativeLibraries.find(target.resolve("ebpf-exporter.jar"), NAME)).isEqualTo(Optional.of(library));
        assertThat(NativeLibraries.find(target.resolve("classes"), NAME)).isEqualTo(Optional.of(library));
    }

    @Test
    void inLibAboveTheModulesOfTheDistribution() throws Exception {
        Path library = Files.createDirectories(root.resolve("lib")).resolve(NAME);
        Files.writeString(library, "");
        Path jar = Files.createDirectories(root.resolve("modules")).resolve("ebpf-exporter.jar");
        assertThat(NativeLibraries.find(jar, NAME)).isEqualTo(Optional.of(library));
    }

    @Test
    void neverASystemDirectory() throws Exception {
        // A jar in /usr/share/java, say: /usr/lib/libbpf.so.1 would be lib/ above it only under modules/.
        Path jar = Files.createDirectories(root.resolve("java")).resolve("ebpf-exporter.jar");
        Files.writeString(Files.createDirectories(root.resolve("lib")).resolve(NAME), "");
        assertThat(NativeLibraries.find(jar, NAME)).as("lib/ counts only above modules/").isEmpty();
    }

    @Test
    void libbpfHeadersInTheSourceTreeAndTheDistribution() throws Exception {
        Path target = Files.createDirectories(root.resolve("target"));
        Path sourceTree = target.resolve("libbpf/include");
        assertThat(NativeLibraries.headers(target.resolve("classes"))).as("no bpf/bpf_helpers.h yet").isEmpty();
        Files.writeString(Files.createDirectories(sourceTree.resolve("bpf")).resolve("bpf_helpers.h"), "");
        assertThat(NativeLibraries.headers(target.resolve("classes"))).isEqualTo(Optional.of(sourceTree));
        assertThat(NativeLibraries.headers(target.resolve("ebpf-exporter.jar"))).isEqualTo(Optional.of(sourceTree));

        Path dist = Files.createDirectories(root.resolve("dist/lib/include/bpf")).getParent();
        Files.writeString(dist.resolve("bpf/bpf_helpers.h"), "");
        assertThat(NativeLibraries.headers(root.resolve("dist/modules/ebpf-exporter.jar"))).isEqualTo(Optional.of(dist));
    }

    @Test
    void theBuildMadeThemForTheseTests() {
        assertThat(NativeLibraries.find("libpost_attach_mark.so")).isPresent();
        assertThat(NativeLibraries.find(NAME)).isPresent()
                .hasValueSatisfying(path -> assertThat(path.getParent().getFileName()).hasToString("native"));
        assertThat(NativeLibraries.find("libelf.so.1")).isPresent();
        assertThat(NativeLibraries.headers()).isPresent();
    }
}
