package dev.ebpfexporter.bpf.link;

import dev.ebpfexporter.bpf.BpfProgram;
import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.Downcall;
import dev.ebpfexporter.bpf.sys.Errno;
import dev.ebpfexporter.bpf.sys.LibBpf;
import dev.ebpfexporter.bpf.sys.LibbpfLog;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** libbpf's automatic attach ({@code bpf_program__attach}): libbpf reads the section and attaches there. */
final class LibbpfAttach {
    private static final String USDT = "usdt/";

    private LibbpfAttach() {
    }

    static BpfLink attach(BpfProgram program) throws BpfException {
        return attach(program, false);
    }

    /** As {@link #attach(BpfProgram)}, saying so when the kernel has no kprobes at all. */
    static BpfLink attachKprobe(BpfProgram program) throws BpfException {
        return attach(program, true);
    }

    private static BpfLink attach(BpfProgram program, boolean kprobe) throws BpfException {
        String section = program.section();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = call.allocate(LibBpf.CALL_STATE);
            var captured = LibbpfLog.capture(() -> Downcall.ofPointer(program.describe(), "attach to " + section,
                    () -> (MemorySegment) LibBpf.PROGRAM_ATTACH.invokeExact(state, program.handle())));
            MemorySegment link = captured.value();
            if (link.equals(MemorySegment.NULL)) {
                int errno = LibBpf.errno(state);
                BpfException failed = BpfException.of(program.describe(), "attach to " + section + " failed", errno);
                String hint = kprobe ? noKprobesHint(Math.abs(errno)) : null;
                if (hint == null) {
                    hint = reason(section, Math.abs(errno), captured.warnings());
                }
                throw hint == null ? failed : new BpfException(failed.getMessage() + ": " + hint, failed.errno());
            }
            return new BpfLink(program.describe(), List.of(link));
        }
    }

    /**
     * Why the attach failed, where the errno alone does not say: the last line libbpf printed meanwhile (for a
     * USDT probe "Bad file descriptor" means the file is no ELF binary, and libbpf says so only there), or, for
     * a USDT probe libbpf said nothing about, that the binary lacks it. Null when there is nothing to add.
     */
    static String reason(String section, int errno, List<String> libbpf) {
        if (!libbpf.isEmpty()) {
            return "libbpf: " + libbpf.getLast().replaceFirst("^libbpf: ", "");
        }
        if (section.startsWith(USDT) && errno == Errno.ENOENT) {
            String target = section.substring(USDT.length());
            int name = target.lastIndexOf(':');
            int provider = name > 0 ? target.lastIndexOf(':', name - 1) : -1;
            if (provider > 0) {
                return target.substring(0, provider) + " has no USDT probe " + target.substring(provider + 1);
            }
        }
        return null;
    }

    /**
     * Why a kprobe cannot attach when the kernel has no kprobes at all (CONFIG_KPROBES off): libbpf then reports
     * only ENOENT from its tracefs fallback, which reads as a missing function. Null when that is not the case.
     */
    private static String noKprobesHint(int errno) {
        if (errno != Errno.ENOENT) {
            return null;
        }
        boolean pmu = Files.exists(Path.of("/sys/bus/event_source/devices/kprobe"));
        boolean events = Files.exists(Path.of("/sys/kernel/tracing/kprobe_events"))
                || Files.exists(Path.of("/sys/kernel/debug/tracing/kprobe_events"));
        return pmu || events ? null
                : "this kernel has no kprobes (no kprobe PMU, no kprobe_events in tracefs: CONFIG_KPROBES is off)";
    }
}
