package dev.ebpfexporter.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupTreeTest {
    @Test
    void walksDepthFirstInLexicalOrderWithInodesAsIds(@TempDir Path root) throws Exception {
        for (String dir : List.of("b/y", "b/x", "a", "c/z/deep")) {
            Files.createDirectories(root.resolve(dir));
        }
        Files.writeString(root.resolve("b/cgroup.procs"), ""); // files are not cgroups
        List<CgroupTree.Cgroup> walked = CgroupTree.walk(root);
        assertThat(walked).extracting(c -> root.relativize(c.path()).toString())
                .containsExactly("", "a", "b", "b/x", "b/y", "c", "c/z", "c/z/deep");
        for (CgroupTree.Cgroup cgroup : walked) {
            assertThat(cgroup.id()).isEqualTo(Files.getAttribute(cgroup.path(), "unix:ino", LinkOption.NOFOLLOW_LINKS));
        }
    }

    @Test
    void aMissingRootIsAnEmptyTree(@TempDir Path root) {
        assertThat(CgroupTree.walk(root.resolve("gone"))).isEmpty();
    }
}
