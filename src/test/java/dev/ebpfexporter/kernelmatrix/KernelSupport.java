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
 * Which cells a kernel supports, from its build config (the {@code boot/config-*} of its package):
 * a cell whose options are not all {@code =y} is shown as unsupported, and must then not attach.
 */
record KernelSupport(Set<String> enabled) {
    static KernelSupport read(Path config) {
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
        return new KernelSupport(enabled);
    }

    /** The options a cell needs (beyond BPF and BTF, which every cell needs). */
    static List<String> needs(String cell) {
        return switch (cell) {
            case "kprobe", "kretprobe", "bcc kprobe__", "bcc kretprobe__", "example tcp-connect",
                 "--config.strict, every program attached" -> List.of("CONFIG_KPROBES");
            case "fentry", "fexit" -> List.of("CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS");
            case "kprobe.multi" -> List.of("CONFIG_FPROBE");
            case "lsm" -> List.of("CONFIG_BPF_LSM");
            case "uprobe", "uretprobe", "usdt" -> List.of("CONFIG_UPROBE_EVENTS");
            default -> List.of();
        };
    }

    /** The first option {@code cell} needs that this kernel lacks; empty when it is supported. */
    Optional<String> missing(String cell) {
        if (cell.equals("example fsync-latency")) {
            // Either pair will do: fentry/fexit or the kprobe fallback.
            return enabled.contains("CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS") || enabled.contains("CONFIG_KPROBES")
                    ? Optional.empty() : Optional.of("CONFIG_KPROBES");
        }
        return needs(cell).stream().filter(option -> !enabled.contains(option)).findFirst();
    }
}
