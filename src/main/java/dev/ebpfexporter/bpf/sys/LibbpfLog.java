package dev.ebpfexporter.bpf.sys;

import dev.ebpfexporter.platform.Architecture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Routes libbpf's print callback to our logger, and lets a caller capture what libbpf printed
 * during one call on its thread (for verifier logs in error messages). libbpf prints synchronously
 * on the calling thread, so a thread-local capture sees exactly that call's messages.
 */
public final class LibbpfLog {
    private static final Logger LOG = LoggerFactory.getLogger("libbpf");
    private static final int LIBBPF_WARN = 0;
    private static final int LIBBPF_INFO = 1;
    private static final int LIBBPF_DEBUG = 2;
    /** The capture in progress on this thread: every line, and the warnings alone. */
    private static final ThreadLocal<List<List<String>>> CAPTURE = new ThreadLocal<>();
    private static final String MEMLOCK_HINT = "try raising 'ulimit -l'";
    private static volatile boolean installed;

    private LibbpfLog() {
    }

    /** Installs the print callback once per process. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        try {
            var handle = MethodHandles.lookup().findStatic(LibbpfLog.class, "print",
                    MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class));
            MemorySegment stub = LibBpf.LINKER.upcallStub(handle,
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), Arena.global());
            MemorySegment previous = (MemorySegment) LibBpf.SET_PRINT.invokeExact(stub);
            installed = true;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot install libbpf print callback", t);
        }
    }

    /** Runs {@code call} and returns its result together with the lines libbpf printed meanwhile. */
    public static <T> Captured<T> capture(Supplier<T> call) {
        List<String> lines = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<List<String>> outer = CAPTURE.get();
        CAPTURE.set(List.of(lines, warnings));
        try {
            return new Captured<>(call.get(), List.copyOf(lines), List.copyOf(warnings));
        } finally {
            CAPTURE.set(outer);
        }
    }

    /**
     * @param lines    every line libbpf printed, its debug output included
     * @param warnings the lines it printed as warnings: what it says went wrong
     */
    public record Captured<T>(T value, List<String> lines, List<String> warnings) {
    }

    // Called from native code: must never throw.
    @SuppressWarnings("unused")
    private static int print(int level, MemorySegment format, MemorySegment vaList) {
        try {
            String text = format(format, vaList).stripTrailing();
            if (text.isEmpty()) {
                return 0;
            }
            List<List<String>> capture = CAPTURE.get();
            if (capture != null) {
                capture.get(0).addAll(text.lines().toList());
                if (level == LIBBPF_WARN) {
                    capture.get(1).addAll(text.lines().toList());
                }
            }
            // libbpf says this on every EPERM as root; kernels since 5.11 charge BPF memory to the cgroup, not to
            // RLIMIT_MEMLOCK, so it points the wrong way: the load error says what the kernel refused.
            int shown = level == LIBBPF_WARN && text.contains(MEMLOCK_HINT) ? LIBBPF_DEBUG : level;
            switch (shown) {
                case LIBBPF_WARN -> LOG.warn(text);
                case LIBBPF_INFO -> LOG.info(text);
                default -> LOG.debug(text);
            }
        } catch (Throwable ignored) {
            // A throw here would crash the JVM inside libbpf; losing one log line is better.
        }
        return 0;
    }

    private static String format(MemorySegment format, MemorySegment vaList) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment args = vaList.reinterpret(Architecture.current().vaListSize());
            // vsnprintf consumes its va_list; keep a copy for a second pass with a bigger buffer.
            MemorySegment argsCopy = arena.allocate(Architecture.current().vaListSize(), 8).copyFrom(args);
            long size = 1024;
            MemorySegment buffer = arena.allocate(size);
            int needed = (int) LibBpf.VSNPRINTF.invokeExact(buffer, size, format, args);
            if (needed >= size) {
                size = needed + 1L;
                buffer = arena.allocate(size);
                int ignored = (int) LibBpf.VSNPRINTF.invokeExact(buffer, size, format, argsCopy);
            }
            return needed < 0 ? "" : buffer.getString(0);
        }
    }
}
