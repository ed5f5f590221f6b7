package dev.ebpfexporter.decoder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Cgroup ids to paths by walking cgroupfs: a cgroup's id is its directory's inode number. Where to
 * walk is asked before every walk (see {@link CgroupRoot}), so a hierarchy mounted later is found. The walk
 * is cached; an unknown id walks again, and each walk replaces the cache, so removed cgroups leave it. An id still unknown after a walk is remembered
 * for {@code unknownFor} (ids of removed cgroups do not rescan the tree on every lookup), at most
 * {@link #MAX_UNKNOWN} of them: memory stays bounded however many containers come and go.
 */
public final class CgroupWalker implements CgroupPaths {
    static final int MAX_UNKNOWN = 65536;

    private final Supplier<Path> root;
    private final long unknownForNanos;
    private final int maxUnknown;
    private volatile Map<Long, String> paths = Map.of();
    private final Map<Long, Long> unknownSince = new ConcurrentHashMap<>();

    /** @param root where to walk, asked before each walk */
    public CgroupWalker(Supplier<Path> root) {
        this(root, Duration.ofMinutes(1), MAX_UNKNOWN);
    }

    CgroupWalker(Path root, Duration unknownFor) {
        this(() -> root, unknownFor, MAX_UNKNOWN);
    }

    CgroupWalker(Path root, Duration unknownFor, int maxUnknown) {
        this(() -> root, unknownFor, maxUnknown);
    }

    private CgroupWalker(Supplier<Path> root, Duration unknownFor, int maxUnknown) {
        this.root = root;
        this.unknownForNanos = unknownFor.toNanos();
        this.maxUnknown = maxUnknown;
    }

    @Override
    public Optional<String> path(long id) {
        String path = paths.get(id);
        if (path != null) {
            return Optional.of(path);
        }
        Long since = unknownSince.get(id);
        if (since != null && System.nanoTime() - since < unknownForNanos) {
            return Optional.empty();
        }
        synchronized (this) {
            long now = System.nanoTime();
            if (!paths.containsKey(id)) {
                paths = walk();
                unknownSince.values().removeIf(at -> now - at >= unknownForNanos);
            }
            path = paths.get(id);
            if (path == null) {
                if (unknownSince.size() < maxUnknown) {
                    unknownSince.put(id, now);
                }
                return Optional.empty();
            }
            unknownSince.remove(id);
            return Optional.of(path);
        }
    }

    /** Later paths overwrite earlier ones for the same id: see {@link CgroupTree} for why the order matters. */
    private Map<Long, String> walk() {
        Map<Long, String> found = new HashMap<>();
        for (CgroupTree.Cgroup cgroup : CgroupTree.walk(root.get())) {
            found.put(cgroup.id(), cgroup.path().toString());
        }
        return Map.copyOf(found);
    }

    /** Ids remembered as unknown (tests). */
    int unknownCount() {
        return unknownSince.size();
    }
}
