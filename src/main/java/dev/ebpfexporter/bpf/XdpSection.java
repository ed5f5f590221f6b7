package dev.ebpfexporter.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@code xdp/<interface>} sections, the reference exporter's way of naming the interface an XDP
 * program attaches to. libbpf knows XDP programs but not this section form ({@link SectionHandlers}
 * registers it); {@link BpfProgram#attach()} attaches to the interface the section names.
 */
final class XdpSection {
    static final String PREFIX = "xdp/";
    private XdpSection() {
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
            return new BpfLink(program.describe(), java.util.List.of(link));
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Downcall.failed(program.describe(), "attach to " + program.section(), t);
        }
    }
}
