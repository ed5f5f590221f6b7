package dev.ebpfexporter.bpf.sys;

/**
 * The numbers that differ between the two architectures the exporter runs on (x86_64 and arm64): system call
 * numbers, an open flag and the size of a {@code va_list}. Everything else we pass to the kernel is the same on both.
 */
public final class Arch {
    private static final boolean ARM64 = System.getProperty("os.arch").contains("aarch64");

    /** {@code __NR_perf_event_open}. */
    public static final long NR_PERF_EVENT_OPEN = ARM64 ? 241 : 298;
    /** {@code __NR_seccomp}: glibc has no wrapper, and prctl's form of it cannot reach every thread. */
    public static final long NR_SECCOMP = ARM64 ? 277 : 317;
    /** {@code O_DIRECTORY}: arm64 uses the generic value, x86_64 its own. */
    public static final int O_DIRECTORY = ARM64 ? 0x4000 : 0x10000;
    /** Bytes of a {@code va_list} object: a 24-byte struct on x86_64, 32 on arm64; copying it is va_copy. */
    public static final long VA_LIST_SIZE = ARM64 ? 32 : 24;

    private Arch() {
    }
}
