package dev.ebpfexporter.trust;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Owner and mode checks on every component of a path, read with {@code lstat} (no link followed):
 * each must belong to root or to our effective user and be writable by nobody else. A directory
 * writable by others is allowed above the checked path only when it is sticky and owned by root
 * (as {@code /tmp} is): there, others cannot rename or remove what we created.
 */
public final class TrustedPaths {
    private static final int STICKY = 01000;

    private TrustedPaths() {
    }

    /** Our effective uid, from {@code /proc/self/status} (the JDK has no getter). */
    public static int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: treat as root, the stricter owner rule
        }
        return 0;
    }

    /**
     * Why {@code path} cannot be trusted, if it cannot: the first component (from {@code /} down)
     * that is owned by someone else or writable by group or others, or a symbolic link as the last
     * component. Where the path goes through links, the resolved path is checked as well.
     */
    public static Optional<String> problem(Path path) throws IOException {
        return problem(path, false);
    }

    /**
     * As {@link #problem(Path)}, but a link as the last component is fine when {@code linkAllowed}: only what
     * it leads to, and who could have changed it, count (for a directory named on the command line).
     */
    public static Optional<String> problem(Path path, boolean linkAllowed) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        Optional<String> lexical = walk(absolute, !linkAllowed);
        if (lexical.isPresent()) {
            return lexical;
        }
        Path real = absolute.toRealPath();
        return real.equals(absolute) ? Optional.empty() : walk(real, false);
    }

    /**
     * Why the file or directory {@code path} leads to cannot be trusted on its own (owner and mode, links
     * resolved), leaving the directories above it to a {@link #problem} check of their own.
     */
    public static Optional<String> ownProblem(Path path) throws IOException {
        Path real = path.toRealPath();
        Map<String, Object> attributes = Files.readAttributes(real, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        return judge((Integer) attributes.get("uid"), (Integer) attributes.get("mode"), effectiveUid(), true, "");
    }

    /** Throws with the one-line {@link #problem} if there is one. */
    public static void require(Path path, String what) throws IOException {
        Optional<String> problem = problem(path);
        if (problem.isPresent()) {
            throw new UntrustedPathException(what + " " + path + ": " + problem.get());
        }
    }

    /**
     * Creates {@code dir} (and missing parents) with mode 0700, then requires it trusted: a directory
     * that already existed must pass the same checks as one we made.
     */
    public static Path privateDirectory(Path dir, String what) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                // a link or a file where the directory should be: the check below names it
            }
        }
        require(absolute, what);
        return absolute;
    }

    /** Reads a whole file with {@code O_NOFOLLOW} after checking it and its directories. */
    public static byte[] read(Path file, String what) throws IOException {
        require(file, what);
        try (SeekableByteChannel channel = Files.newByteChannel(file, Set.<java.nio.file.OpenOption>of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
             InputStream in = Channels.newInputStream(channel)) {
            return in.readAllBytes();
        }
    }

    private static Optional<String> walk(Path absolute, boolean lastMayNotBeLink) throws IOException {
        int uid = effectiveUid();
        Path current = absolute.getRoot();
        int count = absolute.getNameCount();
        for (int i = -1; i < count; i++) {
            if (i >= 0) {
                current = current.resolve(absolute.getName(i));
            }
            boolean last = i == count - 1;
            Map<String, Object> attributes;
            try {
                attributes = Files.readAttributes(current, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return Optional.of(current + " does not exist"); // the answer itself: nothing else to keep
            }
            int owner = (Integer) attributes.get("uid");
            int mode = (Integer) attributes.get("mode");
            if ((mode & 0170000) == 0120000 && (owner == 0 || owner == uid)) {
                if (last && lastMayNotBeLink) {
                    return Optional.of("is a symbolic link");
                }
                continue; // a link's own mode means nothing; its target is checked on the resolved path
            }
            Optional<String> problem = judge(owner, mode, uid, last, current.equals(absolute) ? "" : current + " ");
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> judge(int owner, int mode, int uid, boolean last, String prefix) {
        if (owner != 0 && owner != uid) {
            return Optional.of(prefix + "is owned by uid " + owner + ", not by root" + (uid != 0 ? " or uid " + uid : ""));
        }
        boolean stickyRootDir = !last && (mode & STICKY) != 0 && owner == 0;
        if ((mode & 022) != 0 && !stickyRootDir) {
            return Optional.of(prefix + "is writable by " + ((mode & 002) != 0 ? "others" : "group") + " (mode "
                    + String.format("%04o", mode & 07777) + ")");
        }
        return Optional.empty();
    }
}
