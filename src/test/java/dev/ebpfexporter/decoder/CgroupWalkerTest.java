package dev.ebpfexporter.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unknown ids are remembered for a while, not forever, and removed cgroups leave the cache. */
class CgroupWalkerTest {
    private static long inode(Path dir) throws Exception {
        return (Long) Files.getAttribute(dir, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void anUnknownIdIsForgottenAfterItsTime(@TempDir Path root) throws Exception {
        CgroupWalker walker = new CgroupWalker(root, Duration.ofMillis(200));
        Path cgroup = Files.createDirectories(root.resolve("a"));
        long id = inode(cgroup);
        Files.delete(cgroup);
        assertThat(walker.path(id)).isEmpty();
        assertThat(walker.unknownCount()).isEqualTo(1);
        // After the time, the next walk drops the remembered id.
        Path again = Files.createDirectories(root.resolve("b"));
        Thread.sleep(250);
        assertThat(walker.path(inode(again))).contains(again.toString());
        assertThat(walker.unknownCount()).isZero();
    }

    @Test
    void unknownIdsAreBounded(@TempDir Path root) {
        CgroupWalker walker = new CgroupWalker(root, Duration.ofHours(1), 100);
        for (long id = 1; id <= 150; id++) {
            walker.path(Long.MAX_VALUE - id);
        }
        assertThat(walker.unknownCount()).isEqualTo(100);
    }

    @Test
    void aRemovedCgroupLeavesTheCacheAtTheNextWalk(@TempDir Path root) throws Exception {
        CgroupWalker walker = new CgroupWalker(root, Duration.ofHours(1));
        Path gone = Files.createDirectories(root.resolve("gone"));
        long goneId = inode(gone);
        assertThat(walker.path(goneId)).contains(gone.toString());
        Path other = Files.createDirectories(root.resolve("other")); // while gone exists: another inode
        Files.delete(gone);
        assertThat(walker.path(inode(other))).contains(other.toString());
        assertThat(walker.path(goneId)).isEmpty();
    }
}
