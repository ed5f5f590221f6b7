package dev.ebpfexporter.bpf.link;

import dev.ebpfexporter.bpf.BpfProgram;
import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.Downcall;
import dev.ebpfexporter.bpf.sys.Errno;
import dev.ebpfexporter.bpf.sys.LibBpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@code xdp/<interface>} sections, the reference exporter's way of naming the interface an XDP
 * program attaches to. libbpf knows XDP programs but not this section form ({@link AttachKinds} has it
 * registered); {@link #attach} attaches to the interface the section names.
 */
final class XdpSection {
    static final String PREFIX = "xdp/";

    private XdpSection() {
    }

    /**
     * Attaches {@code program} (section {@code xdp/<interface>}) to that interface; a bare {@code xdp/} is left to
     * libbpf's automatic attach, as before this form was known.
     */
    static BpfLink attach(BpfProgram program) throws BpfException {
        String device = program.section().substring(PREFIX.length());
        if (device.isEmpty()) {
            return LibbpfAttach.attach(program);
        }
        MemorySegment handle = program.handle();
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
