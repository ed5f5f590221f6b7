package dev.ebpfexporter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kernel says this process holds, read from the kernel and not from the exporter's own
 * bookkeeping: every BPF program, map and link descriptor (with its kernel id, from
 * {@code /proc/self/fdinfo}) and every perf event descriptor (tracepoint, kprobe and uprobe
 * attachments go through them); and, through {@code bpftool}, which program, map and link ids exist
 * in the kernel at all.
 */
public record KernelHeld(Set<String> descriptors) {
    private static final Path FDS = Path.of("/proc/self/fd");
    private static final Pattern ID = Pattern.compile("^(prog_id|map_id|link_id):\\s+(\\d+)$", Pattern.MULTILINE);
    private static final Pattern JSON_ID = Pattern.compile("\"id\":\\s*(\\d+)");

    /**
     * This process's BPF and perf event descriptors, each as {@code fd kind id...}: e.g.
     * {@code 41 bpf-prog prog_id=1234}, {@code 57 [perf_event]}.
     */
    public static KernelHeld now() {
        Set<String> held = new TreeSet<>();
        List<Path> fds;
        try (var list = Files.list(FDS)) {
            fds = list.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path fd : fds) {
            String target;
            String info;
            try {
                target = Files.readSymbolicLink(fd).toString();
                info = target.startsWith("anon_inode:bpf") ? Files.readString(Path.of("/proc/self/fdinfo")
                        .resolve(fd.getFileName())) : "";
            } catch (NoSuchFileException e) {
                continue; // closed while listing (another thread's descriptor)
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!target.startsWith("anon_inode:bpf") && !target.equals("anon_inode:[perf_event]")) {
                continue;
            }
            StringBuilder entry = new StringBuilder(fd.getFileName() + " " + target.substring("anon_inode:".length()));
            Matcher id = ID.matcher(info);
            while (id.find()) {
                entry.append(' ').append(id.group(1)).append('=').append(id.group(2));
            }
            held.add(entry.toString());
        }
        return new KernelHeld(held);
    }

    /** What is held now and was not held in {@code before}. */
    public Set<String> since(KernelHeld before) {
        Set<String> added = new TreeSet<>(descriptors);
        added.removeAll(before.descriptors);
        return added;
    }

    /** The kernel ids of one kind ({@code prog_id}, {@code map_id}, {@code link_id}) among these descriptors. */
    public static Set<Integer> ids(Set<String> descriptors, String kind) {
        Set<Integer> ids = new TreeSet<>();
        Pattern pattern = Pattern.compile("\\b" + kind + "=(\\d+)");
        for (String descriptor : descriptors) {
            Matcher matcher = pattern.matcher(descriptor);
            while (matcher.find()) {
                ids.add(Integer.parseInt(matcher.group(1)));
            }
        }
        return ids;
    }

    /** Ids of every {@code prog}, {@code map} or {@code link} in the kernel, as {@code bpftool <kind> show} lists them. */
    public static Set<Integer> inKernel(String kind) {
        TestTools.require("bpftool", "bpftool");
        try {
            Process process = new ProcessBuilder("bpftool", "-j", kind, "show").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("bpftool " + kind + " show failed: " + out);
            }
            Set<Integer> ids = new TreeSet<>();
            // Top-level objects only: "id" of a program inside a link is "prog_id".
            Matcher matcher = JSON_ID.matcher(out);
            while (matcher.find()) {
                ids.add(Integer.parseInt(matcher.group(1)));
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether {@code bpftool <kind> show id <id>} stops finding the object within 10 s: the kernel
     * frees programs and maps after their last reference goes and an RCU grace period.
     */
    public static boolean goneFromKernel(String kind, String id) throws IOException, InterruptedException {
        TestTools.require("bpftool", "bpftool");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Process show = new ProcessBuilder("bpftool", kind, "show", "id", id).redirectErrorStream(true).start();
            show.getInputStream().readAllBytes();
            if (show.waitFor() != 0) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Names of live threads that start with one of {@code prefixes}. */
    public static List<String> threads(String... prefixes) {
        List<String> names = new ArrayList<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            for (String prefix : prefixes) {
                if (thread.isAlive() && thread.getName().startsWith(prefix)) {
                    names.add(thread.getName());
                }
            }
        }
        return names;
    }
}
