package dev.ebpfexporter.bpf.link;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the post_attach_mark library is found, in each layout the exporter runs from. */
class PostAttachMarkLayoutTest {
    @TempDir
    Path root;

    @Test
    void besideTheClassesOrTheJarInTheSourceTree() throws Exception {
        Path target = Files.createDirectories(root.resolve("target"));
        Path library = Files.createDirectories(target.resolve("native")).resolve(PostAttachMark.LIBRARY);
        assertThat(PostAttachMark.library(target.resolve("ebpf-exporter.jar"))).isEmpty();
        Files.writeString(library, "");
        assertThat(PostAttachMark.library(target.resolve("ebpf-exporter.jar"))).isEqualTo(Optional.of(library));
        assertThat(PostAttachMark.library(target.resolve("classes"))).isEqualTo(Optional.of(library));
    }

    @Test
    void inLibAboveTheModulesOfTheDistribution() throws Exception {
        Path library = Files.createDirectories(root.resolve("lib")).resolve(PostAttachMark.LIBRARY);
        Files.writeString(library, "");
        Path jar = Files.createDirectories(root.resolve("modules")).resolve("ebpf-exporter.jar");
        assertThat(PostAttachMark.library(jar)).isEqualTo(Optional.of(library));
    }

    @Test
    void theBuildMadeItForTheseTests() {
        assertThat(PostAttachMark.library()).isPresent()
                .hasValueSatisfying(path -> assertThat(path.getFileName()).hasToString("libpost_attach_mark.so"));
    }
}
