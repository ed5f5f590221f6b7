package dev.ebpfexporter.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code xdp/<interface>} sections, the reference exporter's way of naming the interface an XDP
 * program attaches to. libbpf knows XDP programs but does not attach them on its own; this
 * registers {@code xdp/} as an XDP section so such objects load, and {@link BpfProgram#attach()}
 * attaches to the interface the section names.
 */
final class XdpSection {
    static final String PREFIX = "xdp/";
    private static boolean registered;

    private XdpSection() {
    }

    static synchronized void registerWithLibbpf() throws BpfException {
        if (registered) {
            return;
        }
        try {
            Arena global = Arena.global();
            MemorySegment opts = global.allocate(LibBpf.PROG_HANDLER_OPTS_SIZE, 8);
            opts.set(JAVA_LONG, 0, LibBpf.PROG_HANDLER_OPTS_SIZE);
            int result = (int) LibBpf.REGISTER_PROG_HANDLER.invokeExact(global.allocateFrom(PREFIX),
                    LibBpf.BPF_PROG_TYPE_XDP, LibBpf.BPF_XDP, opts);
            if (result < 0) {
                throw BpfException.of("libbpf", "register xdp/ section handler", result);
            }
            registered = true;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static boolean matches(String section) {
        return section != null && section.startsWith(PREFIX) && section.length() > PREFIX.length();
    }

    /** Attaches {@code program} (section {@code xdp/<interface>}) to that interface. */
    static BpfLink attach(BpfProgram program, MemorySegment handle) throws BpfException {
        String device = program.section().substring(PREFIX.length());
        try (Arena call = Arena.ofConfined()) {
            int index = (int) LibBpf.IF_NAMETOINDEX.invokeExact(call.allocateFrom(device));
            if (index == 0) {
                throw new BpfException(program.describe() + ": attach to " + program.section()
                        + " failed: no network interface \"" + device + "\"", Errno.ENOENT);
            }
            MemorySegment state = call.allocate(LibBpf.CALL_STATE);
            MemorySegment link = (MemorySegment) LibBpf.PROGRAM_ATTACH_XDP.invokeExact(state, handle, index);
            if (link.equals(MemorySegment.NULL)) {
                throw BpfException.of(program.describe(), "attach to " + program.section() + " failed",
                        LibBpf.errno(state));
            }
            return new BpfLink(program.describe(), java.util.List.of(link), java.util.List.of());
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
