package dev.ebpfexporter.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether this process may load and attach tracing BPF programs, checked before libbpf tries (whose
 * own words are "Failed to bump RLIMIT_MEMLOCK" and "Couldn't load trivial BPF program"). Needed:
 * CAP_SYS_ADMIN (root), or CAP_BPF with CAP_PERFMON; kernels before 5.11 also charge BPF memory to
 * RLIMIT_MEMLOCK, which only CAP_SYS_RESOURCE can raise. {@code kernel.unprivileged_bpf_disabled}
 * decides whether anyone else may use bpf() at all (and even at 0, never for tracing programs).
 */
record Privileges(String uid, long effective, Optional<String> unprivilegedBpfDisabled) {
    static final int CAP_SYS_ADMIN = 21;
    static final int CAP_PERFMON = 38;
    static final int CAP_BPF = 39;

    static Privileges current() {
        return read(Path.of("/proc/self/status"), Path.of("/proc/sys/kernel/unprivileged_bpf_disabled"));
    }

    static Privileges read(Path status, Path sysctl) {
        String uid = "?";
        long effective = 0;
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("Uid:")) {
                    uid = line.substring(4).trim().split("\\s+")[1];
                } else if (line.startsWith("CapEff:")) {
                    effective = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: say nothing, libbpf will
            return new Privileges(uid, -1, Optional.empty());
        }
        Optional<String> setting;
        try {
            setting = Optional.of(Files.readString(sysctl).strip());
        } catch (IOException e) {
            setting = Optional.empty(); // no such sysctl on this kernel: the check below says what that means
        }
        return new Privileges(uid, effective, setting);
    }

    private boolean has(int capability) {
        return (effective & (1L << capability)) != 0;
    }

    /** Empty when BPF programs can be loaded; else one line saying what is missing and what to do. */
    Optional<String> missing() {
        if (has(CAP_SYS_ADMIN) || (has(CAP_BPF) && has(CAP_PERFMON))) {
            return Optional.empty();
        }
        String lacking = has(CAP_BPF) ? "CAP_PERFMON" : has(CAP_PERFMON) ? "CAP_BPF" : "CAP_BPF and CAP_PERFMON";
        String setting = unprivilegedBpfDisabled.map(v -> ", kernel.unprivileged_bpf_disabled=" + v).orElse("");
        return Optional.of("cannot load BPF programs: not root and without " + lacking + " (uid " + uid + setting
                + "); run as root, or grant CAP_BPF and CAP_PERFMON (plus CAP_SYS_RESOURCE on kernels before 5.11),"
                + " e.g. with AmbientCapabilities= in the systemd unit");
    }
}
