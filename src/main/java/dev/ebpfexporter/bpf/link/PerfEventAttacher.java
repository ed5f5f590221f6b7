package dev.ebpfexporter.bpf.link;

import dev.ebpfexporter.bpf.BpfProgram;
import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.Cpus;
import dev.ebpfexporter.bpf.sys.Downcall;
import dev.ebpfexporter.bpf.sys.Errno;
import dev.ebpfexporter.bpf.sys.LibBpf;
import dev.ebpfexporter.bpf.sys.Libc;
import dev.ebpfexporter.platform.Architecture;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Opens one perf event per online CPU (perf_event_open) and attaches a program to each. */
final class PerfEventAttacher {
    private static final long PERF_ATTR_SIZE = 128;
    private static final long ATTR_FLAGS = 40;
    private static final long FLAG_FREQ = 1L << 10;
    private static final int PERF_FLAG_FD_CLOEXEC = 8;

    private PerfEventAttacher() {
    }

    /**
     * Opens the event on every online CPU and attaches to each. A perf event fd belongs to its link
     * once attached (libbpf closes it on detach); only an fd whose attach failed is closed here.
     */
    static BpfLink attach(BpfProgram program) throws BpfException {
        PerfEventSection event = PerfEventSection.parse(program.section());
        List<MemorySegment> links = new ArrayList<>();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment attr = attr(call, event);
            MemorySegment state = call.allocate(LibBpf.CALL_STATE);
            for (int cpu : Cpus.online()) {
                int onCpu = cpu;
                long fd = Downcall.ofLong(program.describe(), "perf_event_open", () -> (long) LibBpf.SYSCALL5.invokeExact(
                        state, Architecture.current().nrPerfEventOpen(), attr, -1, onCpu, -1, (long) PERF_FLAG_FD_CLOEXEC));
                if (fd < 0) {
                    int errno = LibBpf.errno(state);
                    throw BpfException.of(program.describe(), "cannot open " + event.eventName() + " on cpu " + cpu
                            + (errno == Errno.ENOENT || errno == Errno.EOPNOTSUPP ? " (no such event on this machine)" : ""),
                            errno);
                }
                try {
                    links.add(attachToEvent(program, (int) fd));
                } catch (BpfException | RuntimeException e) {
                    Libc.closeQuietly(program.describe() + ": perf event on cpu " + cpu, (int) fd);
                    throw e;
                }
            }
            return new BpfLink(program.describe(), links);
        } catch (BpfException | RuntimeException e) {
            new BpfLink(program.describe(), links).close();
            throw e;
        }
    }

    /** Attaches to an already opened perf event; the caller keeps ownership of {@code perfEventFd}. */
    private static MemorySegment attachToEvent(BpfProgram program, int perfEventFd) throws BpfException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = call.allocate(LibBpf.CALL_STATE);
            MemorySegment link = Downcall.ofPointer(program.describe(), "attach to perf event",
                    () -> (MemorySegment) LibBpf.PROGRAM_ATTACH_PERF_EVENT.invokeExact(state, program.handle(),
                            perfEventFd));
            if (link.equals(MemorySegment.NULL)) {
                throw BpfException.of(program.describe(), "attach to perf event failed", LibBpf.errno(state));
            }
            return link;
        }
    }

    /** The {@code struct perf_event_attr} for the event: sample_freq (with the freq flag), sample_period, or every event. */
    static MemorySegment attr(Arena arena, PerfEventSection event) {
        MemorySegment attr = arena.allocate(PERF_ATTR_SIZE, 8);
        attr.set(JAVA_INT, 0, event.type());
        attr.set(JAVA_INT, 4, (int) PERF_ATTR_SIZE);
        attr.set(JAVA_LONG, 8, event.config());
        if (event.frequency() > 0) {
            attr.set(JAVA_LONG, 16, event.frequency());
            attr.set(JAVA_LONG, ATTR_FLAGS, FLAG_FREQ);
        } else if (event.period() > 0) {
            attr.set(JAVA_LONG, 16, event.period()); // sample_period: one sample every period events
        } else {
            attr.set(JAVA_LONG, 16, 1); // sample every event when neither is given
        }
        return attr;
    }
}
