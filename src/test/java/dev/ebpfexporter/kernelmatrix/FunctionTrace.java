package dev.ebpfexporter.kernelmatrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a workload calls a kernel function, from ftrace's function tracer (tracefs, mounted by
 * scripts/kernel-vm.sh): for facts that a function's mere existence does not give, e.g. one that is
 * inlined on the path that matters but kept out of line for other callers. Guest only: it sets the
 * machine's one function filter and tracer, and leaves them off (nop, empty filter).
 */
final class FunctionTrace {
    private static final Path TRACING = Path.of("/sys/kernel/tracing");

    private FunctionTrace() {
    }

    static boolean calledBy(String function, Runnable workload) {
        try {
            write("tracing_on", "0");
            write("set_ftrace_filter", function);
            write("current_tracer", "function");
            write("trace", ""); // empties the buffer
            write("tracing_on", "1");
            try {
                workload.run();
            } finally {
                write("tracing_on", "0");
            }
            // "perl-145 [000] ..... 11.14: vfs_fsync_range <-do_fsync"
            boolean called = Files.readAllLines(TRACING.resolve("trace")).stream()
                    .anyMatch(line -> !line.startsWith("#") && line.contains(": " + function + " <-"));
            write("current_tracer", "nop");
            write("set_ftrace_filter", "");
            return called;
        } catch (IOException e) {
            throw new UncheckedIOException("ftrace of " + function + " under " + TRACING, e);
        }
    }

    private static void write(String file, String value) throws IOException {
        Files.writeString(TRACING.resolve(file), value + "\n");
    }
}
