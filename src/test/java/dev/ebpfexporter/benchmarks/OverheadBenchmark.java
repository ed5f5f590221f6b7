package dev.ebpfexporter.benchmarks;

import dev.ebpfexporter.bpf.BpfStats;
import dev.ebpfexporter.collector.LoadedConfig;
import dev.ebpfexporter.collector.ProgramState;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-event overhead of every bundled example: a tight loop of the event's trigger, timed
 * with and without the example loaded, side by side in one run (rounds alternate without/with and
 * the medians are reported), plus the kernel's own accounting of the example's programs
 * (BPF_ENABLE_STATS: run time and run count) for the nanoseconds each program run costs.
 *
 * <p>Run: {@code ./mvnw -q verify -Pbenchmarks -Dbenchmark=overhead}. Writes
 * {@code target/benchmarks/overhead.md} and prints it.
 */
@Tag("benchmark")
class OverheadBenchmark {
    private static final int ROUNDS = 7;

    /** One iteration of a trigger makes the example's event happen (about) once. */
    interface Trigger extends AutoCloseable {
        void run(long iterations) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    record Case(String example, String trigger, long iterations, Supplier<Trigger> setup) {
    }

    record Row(Case c, double withoutNs, double withNs, double addedNs, double runsPerIteration, double nsPerRun, boolean attached) {
    }

    private static List<Case> cases() {
        return List.of(
                new Case("timers", "loopback TCP round trip (1 byte each way)", 20_000, TcpPingPong::new),
                new Case("biolatency", "4 KiB O_DIRECT write to a file on the root disk", 2_000, DirectWrite::new),
                new Case("biosize", "4 KiB O_DIRECT write to a file on the root disk", 2_000, DirectWrite::new),
                new Case("syscalls", "getpid()", 1_000_000, () -> Workloads::getpidLoop),
                new Case("exec", "fork + exec /bin/true (Java ProcessBuilder)", 300, () -> n -> Workloads.execLoop("/bin/true", (int) n)),
                new Case("runqlat", "thread ping-pong over two pipes (wakeup + switch)", 20_000, ThreadPingPong::new),
                new Case("softirq-latency", "loopback TCP round trip (1 byte each way)", 20_000, TcpPingPong::new),
                new Case("tcp-retransmits", "loopback TCP round trip (no retransmits: the event stays rare)", 20_000, TcpPingPong::new),
                new Case("oomkill", "OOM kill of perl in a 16 MiB memory cgroup", 5, OomKill::new),
                new Case("read-latency", "1-byte read() of /dev/zero", 500_000, ZeroRead::new),
                new Case("page-cache", "4 KiB write to a new page + truncate (add, dirty, delete)", 50_000, PageChurn::new),
                new Case("uprobe", "libc getaddrinfo(\"localhost\") in-process", 5_000, () -> n -> Workloads.getaddrinfoLoop("localhost", n)),
                new Case("cpu-profile", "getpid() (samples at 99 Hz per CPU, not per call)", 1_000_000, () -> Workloads::getpidLoop),
                new Case("cgroup", "thread ping-pong over two pipes (wakeup + switch)", 20_000, ThreadPingPong::new),
                new Case("llc", "getpid() (programs cannot attach without a PMU)", 1_000_000, () -> Workloads::getpidLoop));
    }

    @Test
    @EnabledIf("dev.ebpfexporter.benchmarks.BenchmarkSelection#overhead")
    void perEventOverheadOfEveryExample() throws Exception {
        BpfAvailability.require();
        List<Row> rows = rows();
        String table = table(rows);
        Path out = Path.of(System.getProperty("benchmark.output",
                BpfAvailability.projectRoot().resolve("target/benchmarks").toString()));
        Files.createDirectories(out);
        Files.writeString(out.resolve("overhead.md"), table);
        System.out.println(table);
        assertThat(rows).hasSize(cases().size());
    }

    /** A row per bundled example, measured in this run. */
    static List<Row> rows() throws Exception {
        List<Row> rows = new ArrayList<>();
        try (BpfStats stats = BpfStats.enable()) {
            for (Case c : cases()) {
                Row row = measure(c);
                System.err.println(format(row));
                rows.add(row);
            }
        }
        return rows;
    }

    private static Row measure(Case c) throws Exception {
        double[] without = new double[ROUNDS];
        double[] with = new double[ROUNDS];
        double[] added = new double[ROUNDS];
        long runs = 0;
        double runTimeNs = 0;
        boolean attached = false;
        try (Trigger trigger = c.setup().get()) {
            trigger.run(c.iterations()); // warm up the JIT and the caches
            for (int round = 0; round < ROUNDS; round++) {
                // Alternate the order so that drift (caches, frequency, background work) cancels out.
                boolean withoutFirst = round % 2 == 0;
                if (withoutFirst) {
                    without[round] = timePerIteration(trigger, c.iterations());
                }
                try (InProcessExporter exporter = InProcessExporter.examples(c.example())) {
                    assertThat(exporter.failures()).as(c.example()).isEmpty();
                    List<String> ids = programIds(exporter);
                    attached = exporter.configs().stream().flatMap(conf -> conf.programs().stream())
                            .anyMatch(ProgramState::attached);
                    Samples before = exporter.scrape();
                    with[round] = timePerIteration(trigger, c.iterations());
                    Samples after = exporter.scrape();
                    for (String id : ids) {
                        runs += (long) after.increaseSince(before, "ebpf_exporter_ebpf_program_run_count_total", "id", id);
                        runTimeNs += after.increaseSince(before, "ebpf_exporter_ebpf_program_run_time_seconds", "id", id) * 1e9;
                    }
                }
                if (!withoutFirst) {
                    without[round] = timePerIteration(trigger, c.iterations());
                }
                added[round] = with[round] - without[round];
            }
        }
        double runsPerIteration = (double) runs / ((double) c.iterations() * ROUNDS);
        return new Row(c, median(without), median(with), median(added), runsPerIteration,
                runs == 0 ? Double.NaN : runTimeNs / runs, attached);
    }

    private static double timePerIteration(Trigger trigger, long iterations) throws Exception {
        long start = System.nanoTime();
        trigger.run(iterations);
        return (double) (System.nanoTime() - start) / iterations;
    }

    private static List<String> programIds(InProcessExporter exporter) {
        return exporter.configs().stream().map(LoadedConfig::programs).flatMap(List::stream)
                .map(p -> Integer.toString(p.id())).toList();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    // ---------------------------------------------------------------- output

    static String table(List<Row> rows) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append(machine()).append("\n\n");
        out.append("| Example | One iteration | Iterations x rounds | Without (ns/iter) | With (ns/iter) | Added (ns/iter) "
                + "| Program runs / iter | ns / program run |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            out.append(format(row)).append('\n');
        }
        out.append("\nMedians over ").append(ROUNDS).append(" rounds; each round times the loop without the example and "
                + "with it loaded (alternating which comes first); \"Added\" is the median of the per-round differences, "
                + "so it can come out negative where the event is rare or the loop's own noise is larger than the "
                + "programs' cost. With the example loaded, the kernel's BPF stats are on (as the exporter runs), "
                + "which adds two clock reads per program run. Program runs and run time come from the kernel's BPF stats "
                + "(`ebpf_exporter_ebpf_program_run_count_total`, `..._run_time_seconds`), summed over the example's "
                + "programs and all CPUs, so they include events from the rest of the machine.\n");
        return out.toString();
    }

    private static String format(Row row) {
        Case c = row.c();
        return String.format(Locale.ROOT, "| `%s` | %s | %,d x %d | %s | %s | %s | %s | %s |", c.example(), c.trigger(),
                c.iterations(), ROUNDS, ns(row.withoutNs()), ns(row.withNs()), ns(row.addedNs()),
                row.attached() ? String.format(Locale.ROOT, "%.3f", row.runsPerIteration()) : "not attached",
                Double.isNaN(row.nsPerRun()) ? "-" : String.format(Locale.ROOT, "%.0f", row.nsPerRun()));
    }

    private static String ns(double value) {
        return Math.abs(value) >= 10_000 ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.0f", value);
    }

    // ---------------------------------------------------------------- triggers with state

    /** A loopback TCP connection; one iteration sends a byte each way. */
    static final class TcpPingPong implements Trigger {
        private final ServerSocket server;
        private final Socket client;
        private final Socket accepted;
        private final OutputStream clientOut;
        private final InputStream serverIn;
        private final OutputStream serverOut;
        private final InputStream clientIn;

        TcpPingPong() {
            try {
                InetAddress loopback = InetAddress.getLoopbackAddress();
                server = new ServerSocket(0, 1, loopback);
                client = new Socket(loopback, server.getLocalPort());
                accepted = server.accept();
                client.setTcpNoDelay(true);
                accepted.setTcpNoDelay(true);
                clientOut = client.getOutputStream();
                serverIn = accepted.getInputStream();
                serverOut = accepted.getOutputStream();
                clientIn = client.getInputStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void run(long iterations) throws IOException {
            for (long i = 0; i < iterations; i++) {
                clientOut.write(1);
                serverIn.read();
                serverOut.write(2);
                clientIn.read();
            }
        }

        @Override
        public void close() throws IOException {
            accepted.close();
            client.close();
            server.close();
        }
    }

    /** Two threads passing a byte back and forth over pipes: each pass is a wakeup and a context switch. */
    static final class ThreadPingPong implements Trigger {
        private final Pipe there;
        private final Pipe back;
        private final Thread echo;

        ThreadPingPong() {
            try {
                there = Pipe.open();
                back = Pipe.open();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            echo = Thread.ofPlatform().daemon().start(() -> {
                ByteBuffer b = ByteBuffer.allocate(1);
                try {
                    while (true) {
                        b.clear();
                        if (there.source().read(b) < 0) {
                            return;
                        }
                        b.flip();
                        back.sink().write(b);
                    }
                } catch (IOException e) {
                    // closed
                }
            });
        }

        @Override
        public void run(long iterations) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(1);
            for (long i = 0; i < iterations; i++) {
                b.clear().put((byte) 1).flip();
                there.sink().write(b);
                b.clear();
                back.source().read(b);
            }
        }

        @Override
        public void close() throws Exception {
            there.sink().close();
            echo.join(5_000);
            there.source().close();
            back.sink().close();
            back.source().close();
        }
    }

    static final class DirectWrite implements Trigger {
        private final Workloads.DirectWriter writer = Workloads.directWriter("overhead-direct");

        @Override
        public void run(long iterations) {
            writer.write(iterations);
        }

        @Override
        public void close() {
            writer.close();
        }
    }

    /** Writes a page into an empty scratch file and truncates it: a folio added, dirtied and deleted. */
    static final class PageChurn implements Trigger {
        private final Workloads.ScratchFile file = Workloads.scratchFile("overhead-pages");
        private final FileChannel channel;
        private final ByteBuffer page = ByteBuffer.allocateDirect(4096);

        PageChurn() {
            try {
                channel = FileChannel.open(file.path(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void run(long iterations) throws IOException {
            for (long i = 0; i < iterations; i++) {
                page.clear();
                channel.write(page, 0);
                channel.truncate(0);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
            file.close();
        }
    }

    static final class ZeroRead implements Trigger {
        private final Workloads.ZeroReader reader = Workloads.zeroReader();

        @Override
        public void run(long iterations) {
            reader.read(iterations);
        }

        @Override
        public void close() {
            reader.close();
        }
    }

    static final class OomKill implements Trigger {
        private final Workloads.Cgroup cgroup = Workloads.memoryCgroup("overhead-oom", 16L << 20);

        @Override
        public void run(long iterations) {
            for (long i = 0; i < iterations; i++) {
                int exit = Workloads.oomInside(cgroup).exitCode();
                if (exit != 137) {
                    throw new IllegalStateException("perl was not OOM-killed (exit " + exit + ")");
                }
            }
        }

        @Override
        public void close() {
            cgroup.close();
        }
    }

    /** Header lines for benchmarks/README.md: the machine the table was measured on. */
    static String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        return "CPUs: " + Runtime.getRuntime().availableProcessors() + ", CPU: " + cpu + ", kernel: "
                + System.getProperty("os.version") + ", date: "
                + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
