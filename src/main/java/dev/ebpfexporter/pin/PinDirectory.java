package dev.ebpfexporter.pin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The exporter's directory on a BPF filesystem: {@code <root>/<config>/<map>} pins each config's metric maps
 * (an inline file's programs nest: {@code <root>/<file>/<program>/<map>}). The directory belongs to the
 * exporter: what is in it and belongs to no config being loaded is removed. That is why the root of a
 * BPF filesystem, which other programs share, is refused.
 */
public final class PinDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(PinDirectory.class);
    /** The file system type Linux reports for bpffs (in /proc/self/mounts). */
    private static final String BPF_FS = "bpf";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.-]+");

    private final Path root;

    private PinDirectory(Path root) {
        this.root = root;
    }

    /**
     * Checks that {@code path} is (or would be made) on a BPF filesystem, and is not the root of one, then
     * makes it (mode 0700) when missing.
     */
    public static PinDirectory open(Path path) throws PinException {
        Path root = path.toAbsolutePath().normalize();
        Path existing = root;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new PinException(root + ": no part of this path exists");
        }
        if (!Files.isDirectory(existing)) {
            throw new PinException(existing + " is not a directory");
        }
        String type = fileSystemType(existing);
        if (!type.equals(BPF_FS)) {
            throw new PinException(root + " is not on a BPF filesystem (" + existing + " is on " + type
                    + "); mount one first: mount -t bpf bpf /sys/fs/bpf");
        }
        if (existing.equals(root) && (root.getParent() == null || !fileSystemType(root.getParent()).equals(BPF_FS)
                || !sameFileSystem(root, root.getParent()))) {
            throw new PinException(root + " is the root of a BPF filesystem, which other programs share; give the exporter"
                    + " a directory of its own in it, e.g. " + root.resolve("ebpf_exporter"));
        }
        try {
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new PinException(root + ": cannot create: " + e.getMessage(), e);
        }
        return new PinDirectory(root);
    }

    private static String fileSystemType(Path path) throws PinException {
        try {
            return Files.getFileStore(path).type();
        } catch (IOException e) {
            throw new PinException(path + ": cannot tell its file system: " + e.getMessage(), e);
        }
    }

    private static boolean sameFileSystem(Path a, Path b) throws PinException {
        try {
            Object devA = Files.getAttribute(a, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            Object devB = Files.getAttribute(b, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            return devA.equals(devB);
        } catch (IOException | UnsupportedOperationException e) {
            throw new PinException(a + ": cannot tell its file system: " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    /** The pins of one config, in {@code <root>/<config>}. */
    public ConfigPins forConfig(String config) throws PinException {
        return new ConfigPins(config, directory(config));
    }

    /** {@code <root>/<config>}; each {@code /}-separated part of the name is a plain file name. */
    Path directory(String config) throws PinException {
        for (String segment : config.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new PinException("config " + config + ": cannot pin its maps: the name has characters a pin"
                        + " directory cannot (letters, digits, _ . - only)");
            }
        }
        return root.resolve(config);
    }

    /** Removes the pins of a config that is no longer loaded (its maps go away with their last user). */
    public void remove(String config) throws PinException {
        Path dir = directory(config);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            deleteTree(dir);
            LOG.info("config {}: removed its pinned maps in {}", config, dir);
        }
        // Drop parents left empty (an inline file's directory after its last program went).
        for (Path parent = dir.getParent(); parent != null && !parent.equals(root) && parent.startsWith(root);
             parent = parent.getParent()) {
            try (Stream<Path> entries = Files.list(parent)) {
                if (entries.findAny().isPresent()) {
                    break;
                }
                Files.delete(parent);
            } catch (IOException e) {
                break; // best effort: an empty directory left behind pins nothing
            }
        }
    }

    /**
     * At start: removes every config directory that belongs to none of {@code configs} (config names, as
     * {@code timers} or {@code bio/bio_latency}), nor lies under one of {@code files} (names of config files
     * that did not read, kept whole until they do). Entries directly in the root that are not directories are
     * left alone. Returns the removed directories' names.
     */
    public List<String> removeAllBut(Collection<String> configs, Collection<String> files) throws PinException {
        List<String> removed = new ArrayList<>();
        removeAllBut(root, "", configs, files, removed);
        removed.forEach(name -> LOG.info("config {}: not loaded any more: removed its pinned maps in {}", name,
                root.resolve(name)));
        return removed;
    }

    private void removeAllBut(Path dir, String prefix, Collection<String> configs, Collection<String> files,
                              List<String> removed) throws PinException {
        List<Path> children;
        try (Stream<Path> entries = Files.list(dir)) {
            children = entries.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        } catch (IOException e) {
            throw new PinException(dir + ": cannot list: " + e.getMessage(), e);
        }
        for (Path child : children) {
            String name = prefix + child.getFileName();
            if (configs.contains(name) || files.contains(name)) {
                continue;
            }
            if (configs.stream().anyMatch(c -> c.startsWith(name + "/"))) {
                removeAllBut(child, name + "/", configs, files, removed);
                continue;
            }
            deleteTree(child);
            removed.add(name);
        }
    }

    static void deleteTree(Path dir) throws PinException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new PinException(dir + ": cannot remove: " + e.getMessage(), e);
        }
    }
}
