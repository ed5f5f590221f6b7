package dev.ebpfexporter.docs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DocBlocksTest {
    @TempDir
    Path root;

    @Test
    void findsShellBlocksWithTheirMarkersAndIgnoresOtherFences() throws Exception {
        Path doc = Files.writeString(root.resolve("a.md"), """
                # title
                ```yaml
                ```sh
                ```
                <!-- doc-test: skip: needs a disk -->
                ```sh
                dd if=/dev/zero of=/dev/vdb
                ```
                text
                <!-- doc-test: replace /etc/x => examples -->
                ```bash
                ls /etc/x
                ```
                ```
                ./not-labelled
                ```
                """);
        List<DocBlocks.Block> blocks = DocBlocks.read(root, doc).blocks();
        assertThat(blocks).hasSize(2);
        assertThat(blocks.get(0).where()).isEqualTo("a.md:6");
        assertThat(blocks.get(0).skip()).isEqualTo(Optional.of("needs a disk"));
        assertThat(blocks.get(1).skip()).isEmpty();
        assertThat(blocks.get(1).script()).isEqualTo("ls examples\n");
        assertThat(DocBlocks.read(root, doc).unlabelledCommands()).singleElement().asString()
                .startsWith("a.md:14: `./not-labelled` is in a fence without a language: make it ```sh so this test runs it.");
    }

    @Test
    void aMisspelledMarkerOrAReplacementThatNoLongerMatchesIsAnError() throws Exception {
        Path typo = Files.writeString(root.resolve("t.md"), "<!-- doc-test: skp: x -->\n```sh\ntrue\n```\n");
        assertThatThrownBy(() -> DocBlocks.read(root, typo)).hasMessageStartingWith("t.md:1: unknown doc-test marker \"skp: x\".");
        Path stale = Files.writeString(root.resolve("s.md"), "<!-- doc-test: replace gone => x -->\n```sh\ntrue\n```\n");
        assertThatThrownBy(() -> DocBlocks.read(root, stale).blocks().getFirst().script())
                .hasMessage("s.md:2: <!-- doc-test: replace gone => ... --> does not match the block any more");
    }

    @Test
    void commandsInTableCellsAreBlocksOfOneLineAndACellMarkerSkipsThem() throws Exception {
        Path doc = Files.writeString(root.resolve("t.md"), """
                | what | command |
                |---|---|
                | all | `./ebpf_exporter --config.names=$(ls *.yaml \\| paste -sd,)` |
                | flag | `--config.dir` |
                | CI | `.ci/run` <!-- doc-test: skip: the whole test suite --> |
                | two | `scripts/a.sh` then (`./mvnw verify`) |
                """);
        List<DocBlocks.Block> blocks = DocBlocks.read(root, doc).blocks();
        assertThat(blocks).extracting(DocBlocks.Block::where, DocBlocks.Block::script, DocBlocks.Block::skip).containsExactly(
                org.assertj.core.groups.Tuple.tuple("t.md:3", "./ebpf_exporter --config.names=$(ls *.yaml | paste -sd,)\n",
                        Optional.empty()),
                org.assertj.core.groups.Tuple.tuple("t.md:5", ".ci/run\n", Optional.of("the whole test suite")),
                org.assertj.core.groups.Tuple.tuple("t.md:6", "scripts/a.sh\n", Optional.empty()),
                org.assertj.core.groups.Tuple.tuple("t.md:6", "./mvnw verify\n", Optional.empty()));
        assertThat(DocCommandsIT.serverLine(blocks.get(0).lines())).isZero();
        Path typo = Files.writeString(root.resolve("u.md"), "| x | `./a` <!-- doc-test: skp: y --> |\n");
        assertThatThrownBy(() -> DocBlocks.read(root, typo)).hasMessageStartingWith("u.md:1: unknown doc-test marker \"skp: y\"");
    }
}
