package dev.ebpfexporter.compat;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.bpf.sys.Libc;
import dev.ebpfexporter.decoder.CgroupRoot;
import dev.ebpfexporter.testing.InProcessExporter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code cgroup_id_map}: the map follows cgroups (v2) that match, as they are made and removed. */
class CgroupIdMapTest {
    private static final long BOUND_MILLIS = 5_000;
    private Path parent;

    @BeforeEach
    void makeParent() throws Exception {
        dev.ebpfexporter.testing.BpfAvailability.require();
        parent = CgroupRoot.detect().resolve("ebpf-exporter-compat-" + ProcessHandle.current().pid());
        Files.createDirectories(parent);
    }

    @AfterEach
    void removeCgroups() throws Exception {
        if (parent == null) {
            return;
        }
        try (var children = Files.list(parent)) {
            for (Path child : children.filter(Files::isDirectory).toList()) {
                Files.deleteIfExists(child);
            }
        }
        Files.deleteIfExists(parent);
    }

    private String yaml(String map, String type) {
        return TestPrograms.cgroupIds(map, type, "^.*/" + parent.getFileName() + "/match-[^/]*$");
    }

    @Test
    void hashMapFollowsMatchingCgroupsAsTheyComeAndGo(@TempDir Path dir) throws Exception {
        Path early = Files.createDirectory(parent.resolve("match-early"));
        Path other = Files.createDirectory(parent.resolve("other"));
        try (InProcessExporter exporter = TestPrograms.loaded(dir, "cgroup_ids", "cgroup_ids", yaml("cgroup_id_map", "hash"))) {
            BpfMap map = TestPrograms.map(exporter, "cgroup_ids", "cgroup_id_map");
            assertThat(map.lookup(key(id(early)))).isNotNull(); // filled before load returns
            assertThat(map.lookup(key(id(other)))).isNull();

            Path late = Files.createDirectory(parent.resolve("match-late"));
            long lateId = id(late);
            waitUntil(() -> lookup(map, key(lateId)) != null, "new matching cgroup added");
            assertThat(map.lookup(key(lateId))).isEqualTo(TestPrograms.u64s(1));

            Files.delete(late);
            waitUntil(() -> lookup(map, key(lateId)) == null, "removed cgroup deleted from the map");
            assertThat(map.lookup(key(id(early)))).isNotNull();
        }
    }

    @Test
    void cgrpStorageMapGetsStorageForMatchingCgroups(@TempDir Path dir) throws Exception {
        Path early = Files.createDirectory(parent.resolve("match-storage"));
        Path other = Files.createDirectory(parent.resolve("other-storage"));
        try (InProcessExporter exporter = TestPrograms.loaded(dir, "cgroup_ids", "cgroup_ids",
                yaml("cgroup_storage_map", "cgrp_storage"))) {
            BpfMap map = TestPrograms.map(exporter, "cgroup_ids", "cgroup_storage_map");
            assertThat(storage(map, early)).isEqualTo(TestPrograms.u64s(1));
            assertThat(storage(map, other)).isNull();
            Path late = Files.createDirectory(parent.resolve("match-storage-late"));
            waitUntil(() -> storage(map, late) != null, "new matching cgroup got storage");
        }
    }

    private static byte[] storage(BpfMap map, Path cgroup) {
        int fd;
        try {
            fd = Libc.openDirectory(cgroup);
        } catch (Libc.NativeException e) {
            return null;
        }
        try {
            return map.lookup(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(fd).array());
        } catch (BpfException e) {
            return null;
        } finally {
            Libc.closeQuietly(cgroup.toString(), fd);
        }
    }

    private static byte[] lookup(BpfMap map, byte[] key) {
        try {
            return map.lookup(key);
        } catch (BpfException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long id(Path cgroup) throws Exception {
        return (Long) Files.getAttribute(cgroup, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    private static byte[] key(long id) {
        return TestPrograms.u64s(id);
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + BOUND_MILLIS + " ms");
            }
            Thread.sleep(20);
        }
    }
}
