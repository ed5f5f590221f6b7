package dev.ebpfexporter.collector;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.ProgramInfo;
import dev.ebpfexporter.exposition.Family;
import dev.ebpfexporter.exposition.MetricType;
import dev.ebpfexporter.exposition.Samples;
import dev.ebpfexporter.exposition.ScrapePart;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The kernel's per-program run statistics as {@code --bpf.stats} asks ({@link StatsMode}): never turned
 * on, on for the whole run (the enabling descriptor held until {@link #close}), or sampled: on for a
 * short window every so often (by default 1 s a minute, so every program on the host pays the two clock
 * reads per run for 1/60 of the time), with what each program did in the last window exported as
 * {@code ebpf_exporter_ebpf_program_sampled_run_seconds} (mean time per run) and
 * {@code ebpf_exporter_ebpf_program_sampled_runs_per_second}. Their product is the share of a CPU the
 * program took during the window, an estimate of the rest of the minute as far as its load is steady.
 */
public final class RunStatistics implements AutoCloseable {
    /** How often a sampled window opens and how long it stays open. */
    public record Schedule(Duration every, Duration window) {
        public static final Schedule DEFAULT = new Schedule(Duration.ofMinutes(1), Duration.ofSeconds(1));

        public Schedule {
            if (window.isNegative() || window.isZero() || every.compareTo(window) <= 0) {
                throw new IllegalArgumentException("statistics window " + window + " must be positive and shorter than "
                        + every);
            }
        }
    }

    /** Turns the kernel's statistics on until the returned handle is closed ({@code BpfStats::enable}). */
    @FunctionalInterface
    public interface Switch {
        AutoCloseable on() throws BpfException;
    }

    /** A program's kernel counters, as {@code bpf_prog_info} reports them. */
    record Counts(long runs, long runTimeNs) {
    }

    /** One window: its length, and per program id what ran in it. */
    record Window(double seconds, Map<Integer, Counts> delta) {
    }

    private static final String PREFIX = "ebpf_exporter_";

    private final StatsMode mode;
    private final Schedule schedule;
    private final Switch kernel;
    private final Supplier<Map<Integer, Counts>> counts;
    private final Logger log;
    private volatile Window last;
    private volatile AutoCloseable held;
    private volatile Thread sampler;

    RunStatistics(StatsMode mode, Schedule schedule, Switch kernel, Supplier<Map<Integer, Counts>> counts, Logger log) {
        this.mode = mode;
        this.schedule = schedule;
        this.kernel = kernel;
        this.counts = counts;
        this.log = log;
    }

    /** Logs which mode is in force and starts it over the programs of {@code configs}. */
    public static RunStatistics start(StatsMode mode, Schedule schedule, Switch kernel,
                                      Supplier<List<LoadedConfig>> configs, Logger log) {
        RunStatistics statistics = new RunStatistics(mode, schedule, kernel, () -> counts(configs.get()), log);
        log.info("{}", mode.describe(schedule));
        switch (mode) {
            case OFF -> {
            }
            case ON -> {
                try {
                    statistics.held = kernel.on();
                } catch (BpfException e) {
                    log.warn("--bpf.stats=on: program run time metrics stay at 0: {}", e.getMessage());
                    log.debug("--bpf.stats=on", e);
                }
            }
            case SAMPLED -> statistics.sampler = Thread.ofPlatform().daemon().name("bpf-stats")
                    .start(statistics::sampleForever);
        }
        return statistics;
    }

    private static Map<Integer, Counts> counts(List<LoadedConfig> configs) {
        Map<Integer, Counts> counts = new HashMap<>();
        for (LoadedConfig config : configs) {
            for (ProgramState program : config.programs()) {
                if (program.id() != 0) {
                    try {
                        ProgramInfo info = program.program().info();
                        counts.put(program.id(), new Counts(info.runCount(), info.runTimeNs()));
                    } catch (BpfException e) {
                        // a program whose info cannot be read (being unloaded) has nothing to sample
                    }
                }
            }
        }
        return counts;
    }

    public StatsMode mode() {
        return mode;
    }

    /** The sampled families (none before the first window closes, and none unless sampled). */
    public ScrapePart part() {
        return new ScrapePart("", "bpf statistics", this::families);
    }

    private void sampleForever() {
        boolean warned = false;
        long next = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                sampleOnce();
            } catch (BpfException e) {
                if (!warned) {
                    log.warn("--bpf.stats=sampled: cannot turn statistics on, nothing sampled: {}", e.getMessage());
                    log.debug("--bpf.stats=sampled", e);
                    warned = true;
                }
            } catch (InterruptedException e) {
                return; // close() interrupts the sampler to stop it: the interrupt is the request, not a failure
            }
            next += schedule.every().toNanos();
            try {
                Thread.sleep(Duration.ofNanos(Math.max(0, next - System.nanoTime())));
            } catch (InterruptedException e) {
                return; // close() interrupts the sampler to stop it: the interrupt is the request, not a failure
            }
        }
    }

    /** Turns the statistics on for one window; what every program did in it is served from now on, and returned. */
    Window sampleOnce() throws BpfException, InterruptedException {
        Map<Integer, Counts> before;
        Map<Integer, Counts> after;
        long began;
        long ended;
        try (AutoCloseable on = kernel.on()) {
            // Both reads while the statistics are on: the difference is what ran in the window.
            before = counts.get();
            began = System.nanoTime();
            Thread.sleep(schedule.window());
            after = counts.get();
            ended = System.nanoTime();
        } catch (BpfException | InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing the statistics switch failed: " + e.getMessage(), e);
        }
        Map<Integer, Counts> delta = new TreeMap<>();
        after.forEach((id, now) -> {
            Counts then = before.get(id);
            if (then != null && now.runs() >= then.runs()) {
                delta.put(id, new Counts(now.runs() - then.runs(), now.runTimeNs() - then.runTimeNs()));
            }
        });
        Window window = new Window((ended - began) / 1e9, delta);
        last = window;
        return window;
    }

    private List<Family> families() {
        Window window = last;
        if (window == null) {
            return List.of();
        }
        Samples.Builder perRun = Samples.builder(PREFIX + "ebpf_program_sampled_run_seconds",
                "Mean time one run of the program took in the last statistics window (--bpf.stats=sampled)",
                MetricType.GAUGE);
        Samples.Builder rate = Samples.builder(PREFIX + "ebpf_program_sampled_runs_per_second",
                "Runs per second of the program in the last statistics window (--bpf.stats=sampled)", MetricType.GAUGE);
        window.delta().forEach((id, counts) -> {
            rate.add(counts.runs() / window.seconds(), "id", Integer.toString(id));
            if (counts.runs() > 0) {
                perRun.add(counts.runTimeNs() / 1e9 / counts.runs(), "id", Integer.toString(id));
            }
        });
        return List.of(perRun.build(), rate.build());
    }

    /** Stops sampling (waiting for a window in progress to close) or closes the held descriptor. */
    @Override
    public void close() {
        Thread thread = sampler;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        AutoCloseable handle = held;
        held = null;
        if (handle != null) {
            try {
                handle.close();
            } catch (Exception e) {
                log.warn("--bpf.stats=on: closing the statistics descriptor failed: {}", e.getMessage());
                log.debug("--bpf.stats=on: close", e);
            }
        }
    }
}
