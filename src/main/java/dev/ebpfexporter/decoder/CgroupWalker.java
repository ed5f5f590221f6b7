package dev.ebpfexporter.decoder;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
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

    private Map<Long, String> walk() {
        Map<Long, String> found = new HashMap<>();
        visit(root, found);
        return found;
    }

    /**
     * Depth first in lexical order, later paths overwriting earlier ones for the same inode, as
     * Go's filepath.WalkDir does in the reference. On a hybrid v1/v2 host every hierarchy's root
     * has inode 1; this order lets the cgroup2 tree ("unified") win.
     */
    private static void visit(Path dir, Map<Long, String> found) {
        try {
            found.put((Long) Files.getAttribute(dir, "unix:ino", LinkOption.NOFOLLOW_LINKS), dir.toString());
        } catch (IOException | UnsupportedOperationException e) {
            return; // cgroups come and go while we walk
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    children.add(entry);
                }
            }
        } catch (IOException e) {
            return;
        }
        children.sort(Comparator.comparing(child -> child.getFileName().toString()));
        for (Path child : children) {
            visit(child, found);
        }
    }
}
