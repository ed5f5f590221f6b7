package dev.ebpfexporter.bcc;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What BPF-loading tests need: root, bpffs and tracefs (mounted here when missing). Without them the test is
 * skipped with a loud message, unless {@code CI=true}: then it fails, so CI can never pass by skipping.
 */
final class BpfEnvironment {
    private BpfEnvironment() {
    }

    static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    static void require() {
        String problem = problem();
        if (problem == null) {
            return;
        }
        if (ci()) {
            Assertions.fail("CI=true and BPF is not usable: " + problem);
        }
        System.err.println("""

                ************************************************************
                * SKIPPING BPF-LOADING TEST: %s
                * (run as root on a kernel with BPF; CI=true makes this a failure)
                ************************************************************
                """.formatted(problem));
        Assumptions.abort("BPF not usable: " + problem);
    }

    private static String problem() {
        try {
            if (!isRoot()) {
                return "not running as root";
            }
            if (!Files.exists(Path.of("/sys/kernel/btf/vmlinux"))) {
                return "kernel has no BTF (/sys/kernel/btf/vmlinux)";
            }
            if (!mounted("/sys/fs/bpf", "bpf") && run(List.of("mount", "-t", "bpf", "bpf", "/sys/fs/bpf")) != 0) {
                return "bpffs is not mounted at /sys/fs/bpf and cannot be mounted";
            }
            if (!Files.exists(Path.of("/sys/kernel/tracing/events"))
                    && run(List.of("mount", "-t", "tracefs", "tracefs", "/sys/kernel/tracing")) != 0) {
                return "tracefs is not mounted at /sys/kernel/tracing and cannot be mounted";
            }
            return null;
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[2].equals("0");
            }
        }
        return false;
    }

    private static boolean mounted(String path, String type) throws IOException {
        return Files.readAllLines(Path.of("/proc/mounts")).stream()
                .map(l -> l.split(" "))
                .anyMatch(f -> f.length > 2 && f[1].equals(path) && f[2].equals(type));
    }

    static int run(List<String> command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            int code = p.waitFor();
            if (code != 0) {
                System.err.println(String.join(" ", command) + " -> " + code + ": " + out);
            }
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Output of a command that must succeed. */
    static String output(List<String> command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            int code = p.waitFor();
            if (code != 0) {
                throw new IOException(String.join(" ", command) + " exited " + code + ": " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** {@code bpftool prog loadall}: the verifier accepts every program of the object; the pins are removed. */
    static void assertLoads(Path object) throws IOException {
        require();
        Path pin = Path.of("/sys/fs/bpf", "ebpf-exporter-bcc-test-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime());
        try {
            Process p = new ProcessBuilder("bpftool", "prog", "loadall", object.toString(), pin.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            int code = p.waitFor();
            Assertions.assertEquals(0, code, "bpftool prog loadall " + object + " failed:\n" + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            run(List.of("rm", "-rf", pin.toString()));
        }
    }
}
