package dev.ebpfexporter.decoder;

import dev.ebpfexporter.platform.Architecture;
import static dev.ebpfexporter.decoder.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebpfexporter.config.DecoderConfig;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupDecoderTest {
    private static long inode(Path dir) throws Exception {
        return (Long) Files.getAttribute(dir, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    private static Decoder cgroupUnder(Path root) throws Exception {
        return new DecoderRegistry(KernelLookups.under(root, Architecture.X86_64)).create(DecoderConfig.named("cgroup"), -1);
    }

    @Test
    void namesTheCgroupWhoseDirectoryHasThatInode(@TempDir Path root) throws Exception {
        Path service = Files.createDirectories(root.resolve("sys/fs/cgroup/system.slice/ssh.service"));
        Decoder cgroup = cgroupUnder(root);
        assertThat(text(cgroup.decode(text(Long.toString(inode(service)))))).isEqualTo(service.toString());
        assertThat(text(cgroup.decode(text(Long.toString(inode(root.resolve("sys/fs/cgroup")))))))
                .isEqualTo(root.resolve("sys/fs/cgroup").toString());
    }

    @Test
    void cgroupCreatedAfterTheFirstWalkIsFoundByRewalking(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("sys/fs/cgroup"));
        Decoder cgroup = cgroupUnder(root);
        cgroup.decode(text(Long.toString(inode(root.resolve("sys/fs/cgroup")))));
        Path later = Files.createDirectories(root.resolve("sys/fs/cgroup/kubepods.slice"));
        assertThat(text(cgroup.decode(text(Long.toString(inode(later)))))).isEqualTo(later.toString());
    }

    @Test
    void aHybridHostsV2HierarchyIsFoundFromMountinfo(@TempDir Path root) throws Exception {
        // v1 controllers at /sys/fs/cgroup, the v2 hierarchy at /run/cgroup2 (not a place systemd uses).
        Files.createDirectories(root.resolve("proc/self"));
        Files.writeString(root.resolve("proc/self/mountinfo"), """
                22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
                30 22 0:26 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755
                33 30 0:29 / /sys/fs/cgroup/cpu rw,nosuid shared:12 - cgroup cgroup rw,cpu
                40 22 0:27 / /run/cgroup2 rw,nosuid - cgroup2 cgroup2 rw
                """);
        Files.createDirectories(root.resolve("sys/fs/cgroup/cpu/system.slice"));
        Path v2 = Files.createDirectories(root.resolve("run/cgroup2"));
        Files.writeString(v2.resolve("cgroup.controllers"), "cpu\n");
        Path service = Files.createDirectories(v2.resolve("system.slice/ssh.service"));
        assertThat(text(cgroupUnder(root).decode(text(Long.toString(inode(service)))))).isEqualTo(service.toString());
    }

    @Test
    void unknownIdIsUnknownCgroupId(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("sys/fs/cgroup"));
        assertThat(text(cgroupUnder(root).decode(text("1")))).isEqualTo("unknown_cgroup_id:1");
    }

    @Test
    void failsOnTextThatIsNotANumber(@TempDir Path root) {
        assertThatThrownBy(() -> cgroupUnder(root).decode(text("abc"))).isInstanceOf(DecoderException.class);
    }

    @Test
    void namesTheRealCgroupOfThisProcess() throws Exception {
        // "0::/path" is this process's cgroup2 path; cgroup2 sits at /sys/fs/cgroup, or at
        // /sys/fs/cgroup/unified on a hybrid v1/v2 host, where its root (inode 1, like every v1
        // hierarchy's root) must win because the walk visits it last.
        String path = Files.readAllLines(Path.of("/proc/self/cgroup")).stream()
                .filter(line -> line.startsWith("0::")).findFirst().orElseThrow().substring(3);
        Path unified = Path.of("/sys/fs/cgroup/unified");
        Path mount = Files.isDirectory(unified) ? unified : Path.of("/sys/fs/cgroup");
        Path dir = Path.of(mount + path);
        Decoder cgroup = DecoderRegistry.forSystem().create(DecoderConfig.named("cgroup"), -1);
        assertThat(text(cgroup.decode(text(Long.toString(inode(dir))))))
                .isEqualTo(path.equals("/") ? mount.toString() : dir.toString());
    }
}
