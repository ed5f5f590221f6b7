package dev.ebpfexporter.bpf;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.Downcall;
import dev.ebpfexporter.bpf.sys.Errno;
import dev.ebpfexporter.bpf.sys.LibBpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One program of a {@link BpfObject}; its name and section are copied out when the object opens,
 * its fd when the object loads. {@code bpf.link.AttachKinds} attaches it where its section says.
 */
public final class BpfProgram {
    private final BpfObject owner;
    private final MemorySegment program;
    private final String name;
    private final String section;
    private volatile int fd = -Errno.EINVAL;

    BpfProgram(BpfObject owner, MemorySegment program) {
        this.owner = owner;
        this.program = program;
        String what = owner.name() + ": program";
        this.name = LibBpf.string(Downcall.ofPointer(what, "name",
                () -> (MemorySegment) LibBpf.PROGRAM_NAME.invokeExact(program)));
        this.section = LibBpf.string(Downcall.ofPointer(what, "section name",
                () -> (MemorySegment) LibBpf.PROGRAM_SECTION_NAME.invokeExact(program)));
    }

    /** Called once the object is loaded: reads the fd (negative for a program left out of the load). */
    void loaded() {
        fd = Downcall.ofInt(describe(), "fd", () -> (int) LibBpf.PROGRAM_FD.invokeExact(program));
    }

    public String name() {
        return name;
    }

    /** The ELF section, e.g. {@code tp_btf/timer_start}: it says where libbpf attaches the program. */
    public String section() {
        return section;
    }

    /** Program file descriptor (read at load), or a negative errno when the program is not loaded. */
    public int fd() {
        return fd;
    }

    /** Excludes the program from loading (before {@link BpfObject#load()}). */
    public void disableAutoload() throws BpfException {
        int result = Downcall.ofInt(describe(), "disable autoload",
                () -> (int) LibBpf.PROGRAM_SET_AUTOLOAD.invokeExact(program, false));
        if (result < 0) {
            throw BpfException.of(describe(), "disable autoload", result);
        }
    }

    /** The kernel's view of the loaded program: id, tag and (when bpf_stats are on) run time and count. */
    public ProgramInfo info() throws BpfException {
        if (fd < 0) {
            throw BpfException.of(describe(), "not loaded", fd);
        }
        owner.enter(describe());
        try (Arena call = Arena.ofConfined()) {
            MemorySegment info = call.allocate(LibBpf.PROG_INFO_SIZE, 8);
            MemorySegment length = call.allocateFrom(JAVA_INT, (int) LibBpf.PROG_INFO_SIZE);
            int result = Downcall.ofInt(describe(), "get program info",
                    () -> (int) LibBpf.OBJ_GET_INFO_BY_FD.invokeExact(fd, info, length));
            if (result < 0) {
                throw BpfException.of(describe(), "get program info", result);
            }
            byte[] tag = info.asSlice(LibBpf.PROG_INFO_TAG, LibBpf.BPF_TAG_SIZE).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            return new ProgramInfo(info.get(JAVA_INT, LibBpf.PROG_INFO_ID), HexFormat.of().formatHex(tag),
                    info.get(JAVA_LONG, LibBpf.PROG_INFO_RUN_TIME_NS), info.get(JAVA_LONG, LibBpf.PROG_INFO_RUN_CNT));
        } finally {
            owner.exit();
        }
    }

    /** "object: program name", how errors name this program. */
    public String describe() {
        return owner.name() + ": program " + name;
    }

    /** The libbpf {@code struct bpf_program *}, for the attachers of {@code bpf.link}. */
    public MemorySegment handle() {
        return program;
    }
}
