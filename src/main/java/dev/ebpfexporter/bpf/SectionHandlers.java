package dev.ebpfexporter.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.Set;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Teaches libbpf the section names of the reference exporter that libbpf itself does not know:
 * {@code perf_event/type=T,config=C,...} ({@link PerfEventSection}) and {@code xdp/<interface>}
 * ({@link XdpSection}). libbpf then gives such programs the right type; attaching stays ours.
 * Registered once per process, before the first object opens.
 */
final class SectionHandlers {
    private static final Set<String> REGISTERED = new HashSet<>();

    private SectionHandlers() {
    }

    static void registerAll() throws BpfException {
        register(PerfEventSection.PREFIX, LibBpf.BPF_PROG_TYPE_PERF_EVENT, LibBpf.BPF_PERF_EVENT);
        register(XdpSection.PREFIX, LibBpf.BPF_PROG_TYPE_XDP, LibBpf.BPF_XDP);
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
