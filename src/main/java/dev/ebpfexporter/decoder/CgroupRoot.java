package dev.ebpfexporter.decoder;

import dev.ebpfexporter.config.ConfigException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where the cgroup v2 hierarchy is mounted. BPF programs see v2 ids ({@code bpf_get_current_cgroup_id}),
 * so that is the tree the {@code cgroup} decoder and {@code cgroup_id_map} walk. It is found in
 * {@code /proc/self/mountinfo}: {@code /sys/fs/cgroup} on a pure v2 host, {@code /sys/fs/cgroup/unified}
 * on systemd's v1/v2 hybrid, or wherever else a host mounts it. A mount hidden by a later one (on the same
 * point or above it) does not count. Of several, {@code /sys/fs/cgroup} wins, then
 * {@code /sys/fs/cgroup/unified}, then the first listed; a mount of the whole hierarchy wins over one
 * of a subtree.
 */
public final class CgroupRoot {
    private static final String CGROUP = "/sys/fs/cgroup";
    private static final String UNIFIED = "/sys/fs/cgroup/unified";

    private CgroupRoot() {
    }

    /** The running system's v2 hierarchy, for {@code cgroup_id_map}, which cannot work without one. */
    public static Path detect() throws ConfigException {
        return find(Path.of("/")).orElseThrow(() -> new ConfigException(
                "cgroup_id_map: no cgroup v2 hierarchy is mounted (none in /proc/self/mountinfo)"));
    }

    /**
     * The v2 hierarchy of the system whose files are under {@code fsRoot} ({@code /} for this one):
     * from {@code proc/self/mountinfo}, or, where that file is missing (fixture trees), a
     * {@code sys/fs/cgroup} or {@code sys/fs/cgroup/unified} holding {@code cgroup.controllers}.
     */
    public static Optional<Path> find(Path fsRoot) {
        List<MountInfo.Mount> mounts;
        try {
            mounts = MountInfo.read(fsRoot.resolve("proc/self/mountinfo"));
        } catch (IOException e) {
            // No mountinfo to read (a fixture tree, a /proc not mounted): the places systemd uses.
            return conventional(fsRoot);
        }
        return visibleCgroup2(mounts).stream()
                .sorted(Comparator.comparingInt(CgroupRoot::rank))
                .map(mount -> fsRoot.resolve(mount.mountPoint().substring(1)))
                .filter(dir -> Files.exists(dir.resolve("cgroup.controllers")))
                .findFirst();
    }

    /** The cgroup2 mounts that no later mount hides, in mountinfo order. */
    static List<MountInfo.Mount> visibleCgroup2(List<MountInfo.Mount> mounts) {
        List<MountInfo.Mount> visible = new ArrayList<>();
        for (int i = 0; i < mounts.size(); i++) {
            MountInfo.Mount mount = mounts.get(i);
            if (mount.type().equals("cgroup2") && mount.mountPoint().startsWith("/")
                    && mounts.subList(i + 1, mounts.size()).stream().noneMatch(mount::hiddenBy)) {
                visible.add(mount);
            }
        }
        return visible;
    }

    /** Lower is preferred; a stable sort keeps mountinfo order among equals. */
    private static int rank(MountInfo.Mount mount) {
        int place = switch (mount.mountPoint()) {
            case CGROUP -> 0;
            case UNIFIED -> 1;
            default -> 2;
        };
        return mount.root().equals("/") ? place : place + 3;
    }

    private static Optional<Path> conventional(Path fsRoot) {
        for (String dir : List.of(CGROUP, UNIFIED)) {
            Path path = fsRoot.resolve(dir.substring(1));
            if (Files.exists(path.resolve("cgroup.controllers"))) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }
}
