package dev.ebpfexporter.decoder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The cgroup v2 hierarchy is found from mountinfo, wherever it is mounted, hidden mounts left out. */
class CgroupRootTest {
    private static final String ROOT_FS = "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n";

    /** Writes {@code proc/self/mountinfo} and a {@code cgroup.controllers} in each of {@code hierarchies}. */
    private static Path system(Path root, String mountinfo, String... hierarchies) throws Exception {
        Files.createDirectories(root.resolve("proc/self"));
        Files.writeString(root.resolve("proc/self/mountinfo"), ROOT_FS + mountinfo);
        for (String dir : hierarchies) {
            Path at = Files.createDirectories(root.resolve(dir.substring(1)));
            Files.writeString(at.resolve("cgroup.controllers"), "cpu memory\n");
        }
        return root;
    }

    @Test
    void pureV2HostUsesSysFsCgroup(@TempDir Path root) throws Exception {
        system(root, "30 22 0:26 / /sys/fs/cgroup rw,nosuid shared:9 - cgroup2 cgroup2 rw,nsdelegate\n",
                "/sys/fs/cgroup");
        assertThat(CgroupRoot.find(root)).contains(root.resolve("sys/fs/cgroup"));
    }

    @Test
    void systemdHybridUsesUnified(@TempDir Path root) throws Exception {
        system(root, """
                30 22 0:26 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755
                31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid shared:10 - cgroup2 cgroup2 rw,nsdelegate
                32 30 0:28 / /sys/fs/cgroup/systemd rw,nosuid shared:11 - cgroup cgroup rw,xattr,name=systemd
                33 30 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:12 - cgroup cgroup rw,cpu,cpuacct
                """, "/sys/fs/cgroup/unified");
        assertThat(CgroupRoot.find(root)).contains(root.resolve("sys/fs/cgroup/unified"));
    }

    @Test
    void aHierarchyElsewhereIsFoundAndOneHiddenByALaterMountIsNot(@TempDir Path root) throws Exception {
        // cgroup2 at /sys/fs/cgroup, then mounted again at /run/cg2, then tmpfs over /sys/fs/cgroup.
        system(root, """
                30 22 0:26 / /sys/fs/cgroup rw,nosuid shared:9 - cgroup2 cgroup2 rw
                40 22 0:26 / /run/cg2 rw,relatime - cgroup2 none rw
                41 22 0:45 / /sys/fs/cgroup rw,relatime - tmpfs none rw
                """, "/run/cg2");
        // The hidden one must lose even where its directory still looks like a hierarchy.
        Files.createDirectories(root.resolve("sys/fs/cgroup"));
        Files.writeString(root.resolve("sys/fs/cgroup/cgroup.controllers"), "");
        assertThat(CgroupRoot.find(root)).contains(root.resolve("run/cg2"));
    }

    @Test
    void aMountOverAParentDirectoryHidesToo(@TempDir Path root) throws Exception {
        system(root, """
                31 22 0:27 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw
                40 22 0:27 / /mnt/cgroup\\040v2 rw - cgroup2 cgroup2 rw
                41 22 0:45 / /sys/fs rw - tmpfs none rw
                """, "/sys/fs/cgroup/unified", "/mnt/cgroup v2");
        assertThat(CgroupRoot.find(root)).contains(root.resolve("mnt/cgroup v2"));
    }

    @Test
    void theWholeHierarchyWinsOverASubtreeAndSysFsCgroupOverOtherPlaces(@TempDir Path root) throws Exception {
        system(root, """
                40 22 0:26 /kubepods/pod1 /run/sub rw - cgroup2 cgroup2 rw
                41 22 0:26 / /run/whole rw - cgroup2 cgroup2 rw
                42 22 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw
                """, "/run/sub", "/run/whole", "/sys/fs/cgroup");
        assertThat(CgroupRoot.find(root)).contains(root.resolve("sys/fs/cgroup"));
        Path other = Files.createDirectories(root.resolve("other"));
        system(other, """
                40 22 0:26 /kubepods/pod1 /run/sub rw - cgroup2 cgroup2 rw
                41 22 0:26 / /run/whole rw - cgroup2 cgroup2 rw
                """, "/run/sub", "/run/whole");
        assertThat(CgroupRoot.find(other)).contains(other.resolve("run/whole"));
    }

    @Test
    void noV2HierarchyIsEmpty(@TempDir Path root) throws Exception {
        system(root, """
                30 22 0:26 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755
                32 30 0:28 / /sys/fs/cgroup/systemd rw,nosuid shared:11 - cgroup cgroup rw,xattr,name=systemd
                """);
        assertThat(CgroupRoot.find(root)).isEmpty();
    }

    @Test
    void withoutMountinfoTheConventionalPlacesAreTried(@TempDir Path root) throws Exception {
        Path unified = Files.createDirectories(root.resolve("sys/fs/cgroup/unified"));
        Files.writeString(unified.resolve("cgroup.controllers"), "");
        assertThat(CgroupRoot.find(root)).contains(unified);
    }

    @Test
    void thisMachineHasOne() throws Exception {
        Path found = CgroupRoot.detect();
        assertThat(found.resolve("cgroup.controllers")).exists();
    }
}
