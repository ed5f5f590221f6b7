package dev.ebpfexporter.decoder;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * The directories of a cgroupfs tree with their cgroup ids (a cgroup's id is its directory's inode
 * number), for the cgroup decoder and for {@code cgroup_id_map}.
 *
 * <p>Depth first in lexical order, as Go's filepath.WalkDir walks it in the reference: where two paths
 * share an inode (on a hybrid v1/v2 host every hierarchy's root has inode 1), the later one is the
 * cgroup2 tree ("unified"), so callers that keep the last path per id get the v2 path.
 */
public final class CgroupTree {
    /** One cgroup directory. */
    public record Cgroup(long id, Path path) {
    }

    private CgroupTree() {
    }

    /** Every directory under {@code root} (itself included); cgroups that vanish during the walk are left out. */
    public static List<Cgroup> walk(Path root) {
        List<Cgroup> found = new ArrayList<>();
        Deque<Path> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            Path dir = pending.pop();
            try {
                found.add(new Cgroup((Long) Files.getAttribute(dir, "unix:ino", LinkOption.NOFOLLOW_LINKS), dir));
            } catch (IOException | UnsupportedOperationException e) {
                continue; // cgroups come and go while we walk
            }
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                        children.add(entry);
                    }
                }
            } catch (IOException e) {
                continue; // removed or unreadable while we walk: it has no children to find
            }
            children.sort(Comparator.comparing((Path child) -> child.getFileName().toString()).reversed());
            children.forEach(pending::push); // pushed last to first: the first child is walked next
        }
        return found;
    }
}
