package dev.ebpfexporter.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the running kernel and machine offer to tracing programs, as the tests need to know it to
 * assert "attached" on a machine that has a feature and "not attached, with its reason" on one
 * that does not. Nothing here skips a test: both outcomes are asserted.
 */
public final class KernelFeatures {
    private KernelFeatures() {
    }

    /** Kprobes (CONFIG_KPROBES): the kprobe PMU, or kprobe_events in tracefs. */
    public static boolean kprobes() {
        return Files.exists(Path.of("/sys/bus/event_source/devices/kprobe"))
                || Files.exists(Path.of("/sys/kernel/tracing/kprobe_events"))
                || Files.exists(Path.of("/sys/kernel/debug/tracing/kprobe_events"));
    }

    /** A hardware PMU with cache events: cpu (x86) or armv8_pmuv3 style (arm64), as the llc example needs. */
    public static boolean hardwarePmu() {
        Path cpu = Path.of("/sys/bus/event_source/devices/cpu");
        return Files.exists(cpu.resolve("events/cache-misses")) || Files.exists(cpu.resolve("events/cache-references"));
    }
}
