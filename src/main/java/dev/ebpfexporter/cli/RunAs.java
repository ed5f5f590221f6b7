package dev.ebpfexporter.cli;

import dev.ebpfexporter.bpf.sys.Libc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code --runas.user}: once the programs are attached and the port is bound, the whole process becomes an
 * unprivileged user. Capabilities belong to threads, and the JVM runs threads no Java code runs on (which is why
 * {@code --capabilities.keep} is refused); glibc's setresuid/setresgid change every thread of the process, and
 * leaving uid 0 clears each thread's permitted, effective and ambient capabilities. Before that, no_new_privs is
 * set on every thread (through a seccomp filter synchronised to all of them), so no exec can give a capability
 * back: not a set-user-ID binary, not file capabilities. That also makes the bounding set, which only limits
 * what an exec may add and which only the calling thread could change, moot. Scrapes go on: maps, links and
 * ring buffers are read through file descriptors opened before, which need no capability.
 */
final class RunAs {
    /** A user to become, with the group it runs as. */
    record Account(String name, int uid, int gid) {
        String describe() {
            return name + " (uid " + uid + ", gid " + gid + ")";
        }
    }

    private RunAs() {
    }

    /** {@code name}, {@code uid} or {@code uid:gid}; names are looked up in {@code passwd}. */
    static Account resolve(String spec, Path passwd) {
        String text = spec.strip();
        Account account;
        if (text.matches("\\d+(:\\d+)?")) {
            String[] parts = text.split(":");
            int uid = Integer.parseInt(parts[0]);
            account = new Account(text, uid, parts.length > 1 ? Integer.parseInt(parts[1]) : uid);
        } else {
            account = lookup(text, passwd);
        }
        if (account.uid() == 0 || account.gid() == 0) {
            throw new IllegalArgumentException("--runas.user: \"" + spec + "\" is root (uid or gid 0); name an"
                    + " unprivileged user such as nobody");
        }
        return account;
    }

    private static Account lookup(String name, Path passwd) {
        try (Stream<String> lines = Files.lines(passwd)) {
            return lines.map(line -> line.split(":", -1))
                    .filter(fields -> fields.length >= 4 && fields[0].equals(name))
                    .findFirst()
                    .map(fields -> new Account(name, Integer.parseInt(fields[2]), Integer.parseInt(fields[3])))
                    .orElseThrow(() -> new IllegalArgumentException("--runas.user: no user \"" + name + "\" in "
                            + passwd + " (give a name from it, a uid or uid:gid)"));
        } catch (IOException | NumberFormatException e) {
            throw new IllegalArgumentException("--runas.user: cannot read " + passwd + ": " + e.getMessage(), e);
        }
    }

    /** Becomes {@code account}, then checks every thread; returns how many threads were checked. */
    static int switchTo(Account account) throws Libc.NativeException, IOException {
        Libc.noNewPrivsOnEveryThread();
        Libc.switchUser(account.uid(), account.gid());
        List<String> problems = new ArrayList<>();
        int threads = verify(account, Path.of("/proc/self/task"), problems);
        if (!problems.isEmpty()) {
            throw new IOException("after switching to " + account.describe() + ": " + String.join("; ", problems));
        }
        return threads;
    }

    /**
     * Reads each {@code <task>/status} under {@code taskDir}: every uid and gid must be the account's, the
     * effective, permitted and ambient capability sets empty and no_new_privs set. Adds one line per thread that
     * is not; returns the count.
     */
    static int verify(Account account, Path taskDir, List<String> problems) throws IOException {
        int threads = 0;
        try (Stream<Path> tasks = Files.list(taskDir)) {
            for (Path task : tasks.toList()) {
                List<String> status;
                try {
                    status = Files.readAllLines(task.resolve("status"));
                } catch (NoSuchFileException exited) {
                    continue; // the thread ended while we listed them: nothing left to check
                }
                threads++;
                String name = field(status, "Name:");
                String where = "thread " + task.getFileName() + " (" + name + ")";
                for (String ids : List.of("Uid:", "Gid:")) {
                    int expected = ids.equals("Uid:") ? account.uid() : account.gid();
                    for (String id : field(status, ids).split("\\s+")) {
                        if (Integer.parseInt(id) != expected) {
                            problems.add(where + " has " + ids + " " + field(status, ids));
                            break;
                        }
                    }
                }
                for (String caps : List.of("CapEff:", "CapPrm:", "CapAmb:")) {
                    if (Long.parseUnsignedLong(field(status, caps), 16) != 0) {
                        problems.add(where + " has " + caps + " " + field(status, caps));
                    }
                }
                if (!field(status, "NoNewPrivs:").equals("1")) {
                    problems.add(where + " has NoNewPrivs: " + field(status, "NoNewPrivs:"));
                }
            }
        }
        return threads;
    }

    private static String field(List<String> status, String name) {
        return status.stream().filter(line -> line.startsWith(name)).findFirst()
                .map(line -> line.substring(name.length()).strip()).orElse("?");
    }
}
