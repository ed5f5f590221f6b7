package dev.ebpfexporter.decoder;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cgroup ids to paths by walking cgroupfs: a cgroup's id is its directory's inode number. The walk
 * is cached; an unknown id walks again, and an id still unknown after that walk is remembered as
 * unknown so that ids of removed cgroups do not rescan the tree on every lookup (as the reference).
 */
public final class CgroupWalker implements CgroupPaths {
    private static final String UNKNOWN = "";

    private final Path root;
    private final Map<Long, String> paths = new ConcurrentHashMap<>();

    public CgroupWalker(Path root) {
        this.root = root;
    }

    @Override
    public Optional<String> path(long id) {
        String path = paths.get(id);
        if (path == null) {
            synchronized (this) {
                path = paths.get(id);
                if (path == null) {
                    paths.putAll(walk());
                    path = paths.computeIfAbsent(id, unknown -> UNKNOWN);
                }
            }
        }
        return path.equals(UNKNOWN) ? Optional.empty() : Optional.of(path);
    }

    /** Later paths overwrite earlier ones for the same id: see {@link CgroupTree} for why the order matters. */
    private Map<Long, String> walk() {
        Map<Long, String> found = new HashMap<>();
        for (CgroupTree.Cgroup cgroup : CgroupTree.walk(root)) {
            found.put(cgroup.id(), cgroup.path().toString());
        }
        return found;
    }
}
