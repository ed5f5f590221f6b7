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
}
