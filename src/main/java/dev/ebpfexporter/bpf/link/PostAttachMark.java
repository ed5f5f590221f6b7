package dev.ebpfexporter.bpf.link;

import dev.ebpfexporter.bpf.BpfProgram;
import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.Downcall;
import dev.ebpfexporter.bpf.sys.LibBpf;
import dev.ebpfexporter.bpf.sys.LibbpfLog;
import dev.ebpfexporter.bpf.sys.NativeLibraries;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The reference exporter's {@code post_attach_mark}: a function of the exporter's own process that a config
 * probes with {@code SEC("uprobe//proc/self/exe:post_attach_mark")} and that the exporter calls once, after
 * every config is attached, so that such a program runs once at start (the reference's {@code bpf-jit}
 * example initialises its gauge this way). {@code /proc/self/exe} is the JVM here, which has no such
 * function, so it lives in a small library of ours ({@code src/main/c/post_attach_mark.c}), and a program
 * with that section is attached to the function in that file.
 */
public final class PostAttachMark {
    /** The section the reference's configs use. */
    public static final String SECTION = "uprobe//proc/self/exe:post_attach_mark";
    static final String SYMBOL = "post_attach_mark";
    public static final String LIBRARY = "libpost_attach_mark.so";

    private PostAttachMark() {
    }

    /** Attaches {@code program} (section {@link #SECTION}) to the function in our library. */
    static BpfLink attach(BpfProgram program) throws BpfException {
        Path library = NativeLibraries.find(LIBRARY).orElseThrow(() -> new BpfException(program.describe()
                + ": attach to " + SECTION + " failed: " + NativeLibraries.missing(LIBRARY), 0));
        try (Arena call = Arena.ofConfined()) {
            MemorySegment opts = call.allocate(LibBpf.UPROBE_OPTS_SIZE, 8);
            opts.set(JAVA_LONG, 0, LibBpf.UPROBE_OPTS_SIZE);
            opts.set(JAVA_BOOLEAN, LibBpf.UPROBE_OPTS_RETPROBE, false);
            opts.set(ADDRESS, LibBpf.UPROBE_OPTS_FUNC_NAME, call.allocateFrom(SYMBOL));
            MemorySegment path = call.allocateFrom(library.toString());
            MemorySegment state = call.allocate(LibBpf.CALL_STATE);
            // Every process, as libbpf's own uprobe attach: a perf event of one pid would follow only the
            // process's first thread, never the thread that calls the function. Only exporters map this file.
            int pid = -1;
            var captured = LibbpfLog.capture(() -> Downcall.ofPointer(program.describe(), "attach to " + SECTION,
                    () -> (MemorySegment) LibBpf.PROGRAM_ATTACH_UPROBE_OPTS.invokeExact(state, program.handle(), pid,
                            path, 0L, opts)));
            MemorySegment link = captured.value();
            if (link.equals(MemorySegment.NULL)) {
                throw BpfException.of(program.describe(), "attach to " + SECTION + " (" + SYMBOL + " in " + library
                        + ") failed", LibBpf.errno(state));
            }
            return new BpfLink(program.describe(), List.of(link));
        }
    }

    /**
     * Calls the function, so that every program attached to it runs once; does nothing where the library is
     * missing (no program can then be attached to it).
     */
    public static void call() {
        Optional<MethodHandle> function = Loaded.FUNCTION;
        if (function.isPresent()) {
            MethodHandle handle = function.get();
            // A block, not an expression lambda: an expression's invokeExact would be typed ()Object.
            Downcall.run(LIBRARY, SYMBOL, () -> {
                handle.invokeExact();
            });
        }
    }

    /** The function, looked up once: the library stays loaded for the life of the process (uprobes point into it). */
    private static final class Loaded {
        static final Optional<MethodHandle> FUNCTION = NativeLibraries.find(LIBRARY).map(file -> {
            MemorySegment address = SymbolLookup.libraryLookup(file, Arena.global()).find(SYMBOL)
                    .orElseThrow(() -> new IllegalStateException(file + " has no symbol " + SYMBOL));
            return LibBpf.LINKER.downcallHandle(address, FunctionDescriptor.ofVoid());
        });
    }
}
