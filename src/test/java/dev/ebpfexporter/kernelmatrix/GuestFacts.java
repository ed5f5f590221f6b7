package dev.ebpfexporter.kernelmatrix;

import dev.ebpfexporter.testing.KernelFeatures;
import dev.ebpfexporter.testing.Workloads;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the guest's kernel and (emulated) machine offer that some cells need and that the kernel's
 * build config cannot say: found inside the guest, written to {@code facts.tsv} beside the cells,
 * and read by the host to tell "unsupported here" from a failure ({@link KernelSupport}). Never
 * inferred from the kernel's name or version.
 */
record GuestFacts(Map<String, Boolean> facts) {
    /** A CPU PMU with cache events (QEMU's TCG emulates none): the llc example's perf events. */
    static final String HARDWARE_PMU = "hardware PMU with cache events";
    /** BPF cookies (5.15): libbpf's USDT attach in a PIE without a PID needs them (KernelFeatures.bpfCookies). */
    static final String BPF_COOKIES = "BPF cookies (BPF_FUNC_get_attach_cookie)";
    /** The writeback_dirty_folio tracepoint (5.10 has writeback_dirty_page instead): page-cache's dirtying. */
    static final String DIRTY_FOLIO_TRACEPOINT = "tracepoint writeback/writeback_dirty_folio";

    /**
     * Whether fsync() calls vfs_fsync_range, which fsync-latency traces: on 7.2 do_fsync has it inlined
     * and calls the file system's fsync directly (the out-of-line copy serves other callers only).
     */
    static final String FSYNC_CALLS_VFS_FSYNC_RANGE = "fsync() calls vfs_fsync_range";

    static GuestFacts read() {
        Map<String, Boolean> facts = new LinkedHashMap<>();
        facts.put(FSYNC_CALLS_VFS_FSYNC_RANGE, FunctionTrace.calledBy("vfs_fsync_range", () -> Workloads.fsyncLoop(3)));
        facts.put(HARDWARE_PMU, KernelFeatures.hardwarePmu());
        facts.put(BPF_COOKIES, KernelFeatures.bpfCookies());
        facts.put(DIRTY_FOLIO_TRACEPOINT,
                Files.exists(Path.of("/sys/kernel/tracing/events/writeback/writeback_dirty_folio")));
        return new GuestFacts(facts);
    }

    /** One {@code name<TAB>yes|no} line per fact. */
    String lines() {
        return facts.entrySet().stream().map(e -> e.getKey() + "\t" + (e.getValue() ? "yes" : "no"))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    static GuestFacts parse(List<String> lines) {
        Map<String, Boolean> facts = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t");
            if (fields.length != 2 || !List.of("yes", "no").contains(fields[1])) {
                throw new IllegalArgumentException("not a fact line: " + line);
            }
            facts.put(fields[0], fields[1].equals("yes"));
        }
        return new GuestFacts(facts);
    }

    /** Whether the guest reported {@code fact} present; a fact it did not report at all is an error. */
    boolean has(String fact) {
        Boolean present = facts.get(fact);
        if (present == null) {
            throw new IllegalStateException("the guest did not report the fact \"" + fact + "\"");
        }
        return present;
    }
}
