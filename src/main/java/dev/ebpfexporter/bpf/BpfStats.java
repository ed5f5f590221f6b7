package dev.ebpfexporter.bpf;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.Downcall;
import dev.ebpfexporter.bpf.sys.LibBpf;
import dev.ebpfexporter.bpf.sys.Libc;

/**
 * Turns on the kernel's per-program run time and run count accounting for as long as the
 * returned handle stays open ({@code BPF_ENABLE_STATS}), the same switch as
 * {@code kernel.bpf_stats_enabled} but undone automatically when the exporter exits.
 */
public final class BpfStats implements AutoCloseable {
    private static final int BPF_STATS_RUN_TIME = 0;
    private final int fd;

    private BpfStats(int fd) {
        this.fd = fd;
    }

    public static BpfStats enable() throws BpfException {
        int fd = Downcall.ofInt("bpf stats", "enable run time statistics",
                () -> (int) LibBpf.ENABLE_STATS.invokeExact(BPF_STATS_RUN_TIME));
        if (fd < 0) {
            throw BpfException.of("bpf stats", "enable run time statistics", fd);
        }
        return new BpfStats(fd);
    }

    @Override
    public void close() {
        Libc.closeQuietly("bpf stats", fd);
    }
}
