package dev.ebpfexporter.cgroup;

import dev.ebpfexporter.config.ConfigException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the cgroup v2 hierarchy is mounted: {@code /sys/fs/cgroup} on a pure v2 host, or
 * {@code /sys/fs/cgroup/unified} on a v1/v2 hybrid (systemd's layout). BPF programs see v2 ids
 * ({@code bpf_get_current_cgroup_id}), so that is the tree cgroup_id_map follows.
 */
public final class CgroupRoot {
    private static final Path CGROUP = Path.of("/sys/fs/cgroup");

    private CgroupRoot() {
    }

    public static Path detect() throws ConfigException {
        return detect(CGROUP);
    }

    static Path detect(Path mount) throws ConfigException {
        if (Files.exists(mount.resolve("cgroup.controllers"))) {
            return mount;
        }
        Path unified = mount.resolve("unified");
        if (Files.exists(unified.resolve("cgroup.controllers"))) {
            return unified;
        }
        throw new ConfigException("cgroup_id_map: no cgroup v2 hierarchy at " + mount + " or " + unified);
    }
}
