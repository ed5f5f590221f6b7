package dev.ebpfexporter.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One program of a {@link BpfObject}; its name and section are copied out when the object opens,
 * its fd when the object loads.
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

    /**
     * Attaches where the section says (libbpf's automatic attach), including the libbpf-unknown
     * {@code perf_event/type=T,config=C,frequency=F} form, which opens a perf event on every online CPU.
     */
    public BpfLink attach() throws BpfException {
        if (PerfEventSection.matches(section)) {
            return PerfEventAttacher.attach(this, PerfEventSection.parse(section));
        }
        if (XdpSection.matches(section)) {
            return XdpSection.attach(this, program);
        }
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = call.allocate(LibBpf.CALL_STATE);
            var captured = LibbpfLog.capture(() -> Downcall.ofPointer(describe(), "attach to " + section,
                    () -> (MemorySegment) LibBpf.PROGRAM_ATTACH.invokeExact(state, program)));
            MemorySegment link = captured.value();
            if (link.equals(MemorySegment.NULL)) {
                int errno = LibBpf.errno(state);
                BpfException failed = BpfException.of(describe(), "attach to " + section + " failed", errno);
                String hint = kprobeHint(section, Math.abs(errno));
                throw hint == null ? failed : new BpfException(failed.getMessage() + ": " + hint, failed.errno());
            }
            return new BpfLink(describe(), List.of(link));
        }
    }

    /**
     * Why a kprobe cannot attach when the kernel has no kprobes at all (CONFIG_KPROBES off): libbpf then reports
     * only ENOENT from its tracefs fallback, which reads as a missing function. Null when that is not the case.
     */
    static String kprobeHint(String section, int errno) {
        if (errno != Errno.ENOENT || section == null
                || !(section.startsWith("kprobe/") || section.startsWith("kretprobe/"))) {
            return null;
        }
        boolean pmu = java.nio.file.Files.exists(java.nio.file.Path.of("/sys/bus/event_source/devices/kprobe"));
        boolean events = java.nio.file.Files.exists(java.nio.file.Path.of("/sys/kernel/tracing/kprobe_events"))
                || java.nio.file.Files.exists(java.nio.file.Path.of("/sys/kernel/debug/tracing/kprobe_events"));
        return pmu || events ? null
                : "this kernel has no kprobes (no kprobe PMU, no kprobe_events in tracefs: CONFIG_KPROBES is off)";
    }

    /** Attaches to an already opened perf event; the caller keeps ownership of {@code perfEventFd}. */
    MemorySegment attachPerfEvent(int perfEventFd) throws BpfException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = call.allocate(LibBpf.CALL_STATE);
            MemorySegment link = Downcall.ofPointer(describe(), "attach to perf event",
                    () -> (MemorySegment) LibBpf.PROGRAM_ATTACH_PERF_EVENT.invokeExact(state, program, perfEventFd));
            if (link.equals(MemorySegment.NULL)) {
                throw BpfException.of(describe(), "attach to perf event failed", LibBpf.errno(state));
            }
            return link;
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

    String describe() {
        return owner.name() + ": program " + name;
    }
}
