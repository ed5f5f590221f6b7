package dev.ebpfexporter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

    /**
     * BPF cookies (the {@code bpf_get_attach_cookie} helper, since 5.15), which libbpf needs to attach
     * USDT probes in a position-independent executable or shared library without a PID: whether the
     * kernel's BTF knows the helper's id ({@code BPF_FUNC_get_attach_cookie} of {@code enum bpf_func_id}).
     */
    public static boolean bpfCookies() {
        try {
            byte[] btf = Files.readAllBytes(Path.of("/sys/kernel/btf/vmlinux"));
            byte[] name = "BPF_FUNC_get_attach_cookie\0".getBytes(StandardCharsets.US_ASCII);
            return indexOf(btf, name) >= 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernel's BTF", e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** A hardware PMU with cache events: cpu (x86) or armv8_pmuv3 style (arm64), as the llc example needs. */
    public static boolean hardwarePmu() {
        Path cpu = Path.of("/sys/bus/event_source/devices/cpu");
        return Files.exists(cpu.resolve("events/cache-misses")) || Files.exists(cpu.resolve("events/cache-references"));
    }
}
