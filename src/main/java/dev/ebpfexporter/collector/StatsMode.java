package dev.ebpfexporter.collector;

import java.util.Locale;

/**
 * {@code --bpf.stats}: whether the exporter turns on the kernel's per-program run statistics
 * ({@code BPF_ENABLE_STATS}, the switch behind {@code kernel.bpf_stats_enabled}). They cost every BPF
 * program on the host, ours and everyone else's, two clock reads per run, so they stay off unless asked.
 */
public enum StatsMode {
    /** Never turned on by us: the run metrics report what the kernel counts while an administrator has them on. */
    OFF("off (--bpf.stats=off): ebpf_program_run_* count only while kernel.bpf_stats_enabled is set"),
    /** On for the whole run, off again when the exporter exits. */
    ON("on for the whole run (--bpf.stats=on)"),
    /** On for a short window now and then ({@link RunStatistics}); the windows' measurements are exported as such. */
    SAMPLED("sampled (--bpf.stats=sampled): on for %s every %s, measured into ebpf_program_sampled_*");

    private final String description;

    StatsMode(String description) {
        this.description = description;
    }

    /** The flag's value: {@code off}, {@code on} or {@code sampled}; anything else is a one-line error. */
    public static StatsMode parse(String text) {
        for (StatsMode mode : values()) {
            if (mode.flag().equals(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("--bpf.stats: must be off, on or sampled, got \"" + text + "\"");
    }

    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What the start-up log says about this mode. */
    String describe(RunStatistics.Schedule schedule) {
        return "kernel BPF run time statistics: " + description.formatted(seconds(schedule.window()), seconds(schedule.every()));
    }

    private static String seconds(java.time.Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
