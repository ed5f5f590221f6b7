package dev.ebpfexporter.kernelmatrix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which cells a kernel supports, from its build config (the {@code boot/config-*} of its package)
 * and from what the guest found ({@link GuestFacts}): a cell whose options are not all {@code =y},
 * or whose facts do not hold, is shown as unsupported, and must then not attach.
 */
record KernelSupport(Set<String> enabled, GuestFacts facts) {
    static KernelSupport read(Path config, GuestFacts facts) {
        Set<String> enabled = new HashSet<>();
        try {
            for (String line : Files.readAllLines(config)) {
                if (line.endsWith("=y")) {
                    enabled.add(line.substring(0, line.length() - 2));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new KernelSupport(enabled, facts);
    }

    /**
     * What a cell needs beyond BPF and BTF, which every cell needs: build options ({@code CONFIG_*})
     * and facts the guest reports ({@link GuestFacts}).
     */
    static List<String> needs(String cell) {
        return switch (cell) {
            case "kprobe", "kretprobe", "bcc kprobe__", "bcc kretprobe__", "example tcp-connect", "example dcstat",
                 "--config.strict, every program attached" -> List.of("CONFIG_KPROBES");
            case "fentry", "fexit" -> List.of("CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS");
            case "kprobe.multi" -> List.of("CONFIG_FPROBE");
            case "lsm" -> List.of("CONFIG_BPF_LSM");
            case "uprobe", "uretprobe", "example uprobe" -> List.of("CONFIG_UPROBE_EVENTS");
            case "usdt" -> List.of("CONFIG_UPROBE_EVENTS", GuestFacts.BPF_COOKIES);
            case "example llc" -> List.of(GuestFacts.HARDWARE_PMU);
            case "example page-cache" -> List.of(GuestFacts.DIRTY_FOLIO_TRACEPOINT);
            default -> List.of();
        };
    }

    /**
     * Whether {@code cell}, where {@link #missing} says it is unsupported, still attaches (its hook
     * exists) but cannot move (the event does not reach the hook): fsync-latency where fsync() no
     * longer calls vfs_fsync_range.
     */
    boolean attachesButCannotMove(String cell) {
        return cell.equals("example fsync-latency") && missing(cell).filter(m -> m.startsWith("no: ")).isPresent();
    }

    /** Why this kernel does not support {@code cell} ("CONFIG_X off", "no <fact>"); empty when it does. */
    Optional<String> missing(String cell) {
        if (cell.equals("example fsync-latency")) {
            // Either pair will do: fentry/fexit or the kprobe fallback; both trace vfs_fsync_range.
            if (!enabled.contains("CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS") && !enabled.contains("CONFIG_KPROBES")) {
                return Optional.of("CONFIG_KPROBES off");
            }
            return facts.has(GuestFacts.FSYNC_CALLS_VFS_FSYNC_RANGE) ? Optional.empty()
                    : Optional.of("no: " + GuestFacts.FSYNC_CALLS_VFS_FSYNC_RANGE);
        }
        for (String need : needs(cell)) {
            if (need.startsWith("CONFIG_") ? !enabled.contains(need) : !facts.has(need)) {
                return Optional.of(need.startsWith("CONFIG_") ? need + " off" : "no " + need);
            }
        }
        return Optional.empty();
    }
}
