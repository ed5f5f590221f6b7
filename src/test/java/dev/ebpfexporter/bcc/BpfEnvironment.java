package dev.ebpfexporter.bcc;

import org.junit.jupiter.api.Assertions;
import dev.ebpfexporter.testing.BpfAvailability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the bcc tests need beyond {@link BpfAvailability}: bpffs for {@code bpftool prog loadall} and
 * tracefs for {@code tp/} programs, mounted here when missing; and small process helpers.
 */
final class BpfEnvironment {
    private BpfEnvironment() {
    }

    /** Root and BTF (the shared gate: fails under CI=true), then bpffs and tracefs, mounted when missing. */
    static void require() {
        BpfAvailability.require();
        try {
            BpfAvailability.requireThat(mounted("/sys/fs/bpf", "bpf")
                    || run(List.of("mount", "-t", "bpf", "bpf", "/sys/fs/bpf")) == 0,
                    "bpffs is not mounted at /sys/fs/bpf and cannot be mounted");
            BpfAvailability.requireThat(Files.exists(Path.of("/sys/kernel/tracing/events"))
                    || run(List.of("mount", "-t", "tracefs", "tracefs", "/sys/kernel/tracing")) == 0,
                    "tracefs is not mounted at /sys/kernel/tracing and cannot be mounted");
        } catch (IOException e) {
            BpfAvailability.requireThat(false, "cannot check mounts: " + e);
        }
    }

    private static boolean mounted(String path, String type) throws IOException {
        return Files.readAllLines(Path.of("/proc/mounts")).stream()
                .map(l -> l.split(" "))
                .anyMatch(f -> f.length > 2 && f[1].equals(path) && f[2].equals(type));
    }

    static int run(List<String> command) throws IOException {
        Exit exit = exec(command);
        if (exit.code() != 0) {
            System.err.println(String.join(" ", command) + " -> " + exit.code() + ": " + exit.output());
        }
        return exit.code();
    }

    /** Output of a command that must succeed. */
    static String output(List<String> command) throws IOException {
        Exit exit = exec(command);
        if (exit.code() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + exit.code() + ": " + exit.output());
        }
        return exit.output();
    }

    private record Exit(int code, String output) {
    }

    private static Exit exec(List<String> command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return new Exit(p.waitFor(), out);
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
