package dev.ebpfexporter.decoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mounts of a mount namespace as {@code /proc/<pid>/mountinfo} lists them (proc(5)), in its
 * order: the order they were mounted in, so a later mount on the same point or on a parent
 * directory hides an earlier one.
 */
final class MountInfo {
    /**
     * One mount.
     *
     * @param root       the directory of the file system that is mounted ({@code /} for all of it)
     * @param mountPoint where, in this namespace
     * @param type       the file system type ({@code cgroup2}, {@code tmpfs}, ...)
     */
    record Mount(String root, String mountPoint, String type) {
        /** Whether {@code later}, mounted after this one, hides it: on the same point or on a directory above it. */
        boolean hiddenBy(Mount later) {
            String over = later.mountPoint;
            return mountPoint.equals(over) || mountPoint.startsWith(over + "/");
        }
    }

    private MountInfo() {
    }

    /** The mounts listed in {@code file}; lines that are not mountinfo lines are skipped. */
    static List<Mount> read(Path file) throws IOException {
        List<Mount> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            // id parent major:minor root mount-point options [optional fields...] - type source super-options
            String[] fields = line.split(" ");
            int separator = List.of(fields).indexOf("-");
            if (fields.length < 6 || separator < 6 || separator + 1 >= fields.length) {
                continue;
            }
            mounts.add(new Mount(unescape(fields[3]), unescape(fields[4]), fields[separator + 1]));
        }
        return mounts;
    }

    /** The kernel writes space, tab, newline and backslash in paths as {@code \040}, {@code \011}, {@code \012}, {@code \134}. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String text, int from) {
        for (int i = from; i < from + 3; i++) {
            if (i >= text.length() || text.charAt(i) < '0' || text.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
