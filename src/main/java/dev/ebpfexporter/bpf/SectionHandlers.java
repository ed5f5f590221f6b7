package dev.ebpfexporter.bpf;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.Downcall;
import dev.ebpfexporter.bpf.sys.LibBpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Teaches libbpf the section names it does not know ({@link SectionType}; the list comes from
 * {@code bpf.link.AttachKinds}). Each prefix is registered once per process, before the first object that
 * uses it opens.
 */
final class SectionHandlers {
    private static final Set<String> REGISTERED = new HashSet<>();

    private SectionHandlers() {
    }

    static void registerAll(List<SectionType> types) throws BpfException {
        for (SectionType type : types) {
            register(type.prefix(), type.programType(), type.attachType());
        }
    }

    private static synchronized void register(String prefix, int programType, int attachType) throws BpfException {
        if (REGISTERED.contains(prefix)) {
            return;
        }
        // libbpf keeps the pointers: the prefix and options live as long as the process.
        Arena global = Arena.global();
        MemorySegment opts = global.allocate(LibBpf.PROG_HANDLER_OPTS_SIZE, 8);
        opts.set(JAVA_LONG, 0, LibBpf.PROG_HANDLER_OPTS_SIZE);
        MemorySegment name = global.allocateFrom(prefix);
        int result = Downcall.ofInt("libbpf", "register " + prefix + " section handler",
                () -> (int) LibBpf.REGISTER_PROG_HANDLER.invokeExact(name, programType, attachType, opts));
        if (result < 0) {
            throw BpfException.of("libbpf", "register " + prefix + " section handler", result);
        }
        REGISTERED.add(prefix);
    }
}
