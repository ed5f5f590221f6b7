package dev.ebpfexporter.http;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Why the server could not listen, in words: Jetty reports {@code Failed to bind to /127.0.0.1:9435}
 * and keeps the kernel's reason in the cause. For a port in use, also who holds it when
 * {@code /proc/net/tcp} and {@code /proc/<pid>/fd} tell (they do not for other users' processes
 * unless we are root).
 */
public final class BindFailure {
    private static final String LISTEN = "0A";

    private BindFailure() {
    }

    /** One line: {@code address already in use (held by pid 42: node_exporter)}, or the kernel's reason. */
    public static String describe(IOException e, int port) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException bind) {
                String reason = bind.getMessage() == null ? "cannot bind" : bind.getMessage().toLowerCase(Locale.ROOT);
                if (reason.contains("address already in use")) {
                    return "address already in use" + holder(Path.of("/proc"), port).map(h -> " (held by " + h + ")")
                            .orElse("");
                }
                return reason;
            }
        }
        return e.getMessage();
    }

    /** {@code pid N: command} of a process with a socket listening on {@code port}, if /proc shows one. */
    static Optional<String> holder(Path proc, int port) {
        for (String table : List.of("net/tcp", "net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(proc.resolve(table));
            } catch (IOException e) {
                continue; // no such table (e.g. no IPv6): the socket is in another one
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] fields = line.trim().split("\\s+");
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                if (fields.length < 10 || !fields[3].equals(LISTEN)) {
                    continue;
                }
                String local = fields[1];
                int colon = local.lastIndexOf(':');
                if (colon < 0 || Integer.parseInt(local.substring(colon + 1), 16) != port) {
                    continue;
                }
                Optional<String> owner = owner(proc, "socket:[" + fields[9] + "]");
                if (owner.isPresent()) {
                    return owner;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> owner(Path proc, String socket) {
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path pid : pids) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
                    for (Path fd : fds) {
                        if (socket.equals(readLink(fd))) {
                            return Optional.of("pid " + pid.getFileName() + ": " + command(pid));
                        }
                    }
                } catch (IOException | SecurityException e) {
                    // another user's process, or gone meanwhile
                }
            }
        } catch (IOException e) {
            return Optional.empty(); // /proc unreadable: the bind error is reported without the holder
        }
        return Optional.empty();
    }

    private static String readLink(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return ""; // the descriptor closed meanwhile: it is not the socket
        }
    }

    private static String command(Path pid) {
        try {
            return Files.readString(pid.resolve("comm")).strip();
        } catch (IOException e) {
            return "?"; // the process exited meanwhile: its name is unknown
        }
    }
}
