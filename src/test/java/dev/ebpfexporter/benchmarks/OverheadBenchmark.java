package dev.ebpfexporter.benchmarks;

import dev.ebpfexporter.bpf.BpfStats;
import dev.ebpfexporter.collector.LoadedConfig;
import dev.ebpfexporter.collector.ProgramState;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Tag;

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
 * Per-event overhead of every bundled example: a tight loop of the event's trigger, timed without
 * anything loaded, with empty programs on the example's hooks, and with the example, side by side in
 * one run (the order rotates per round, medians are reported), plus a loop with the kernel's own
 * accounting on (BPF_ENABLE_STATS: run time and run count) for what the statistics add and the
 * nanoseconds each program run costs.
 *
 * <p>Run: {@code ./mvnw -q verify -Pbenchmarks -Dbenchmark=overhead} ({@code -Dbenchmark.examples=syscalls,timers}
 * for some only). Writes
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

    /**
     * @param object the object to load with the example's YAML: its own ({@code examples/<example>.bpf.o}), or an
     *               earlier version kept under {@code src/test/bpf} to show what a change saved, in the same run
     */
    record Case(String example, String object, String trigger, long iterations, Supplier<Trigger> setup) {
        Case(String example, String trigger, long iterations, Supplier<Trigger> setup) {
            this(example, "examples/" + example + ".bpf.o", trigger, iterations, setup);
        }

        String title() {
            return object.startsWith("examples/") ? "`" + example + "`"
                    : "`" + example + "` before (`" + object.substring(object.lastIndexOf('/') + 1) + "`)";
        }
    }

    /**
     * Medians per iteration: without anything loaded, with the example's hooks holding empty programs, with
     * the example (statistics off, as the exporter runs by default), and with it while the kernel's
     * statistics are on; the added columns are medians of the per-round differences.
     */
    record Row(Case c, String hooks, double withoutNs, double emptyNs, double withNs, double hookAddedNs,
               double programAddedNs, double addedNs, double statsAddedNs, double runsPerIteration, double nsPerRun,
               boolean attached) {
    }

    private static List<Case> cases() {
        return List.of(
                new Case("timers", "loopback TCP round trip (1 byte each way)", 20_000, TcpPingPong::new),
                new Case("biolatency", "4 KiB O_DIRECT write to a file on the root disk", 2_000, DirectWrite::new),
                new Case("biosize", "4 KiB O_DIRECT write to a file on the root disk", 2_000, DirectWrite::new),
                new Case("syscalls", "getpid()", 1_000_000, () -> Workloads::getpidLoop),
                new Case("syscalls", "src/test/bpf/syscalls_shared_hash.bpf.o", "getpid()", 1_000_000,
                        () -> Workloads::getpidLoop),
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
                new Case("llc", "getpid() (programs cannot attach without a PMU)", 1_000_000, () -> Workloads::getpidLoop),
                new Case("fsync-latency", "4 KiB write + fdatasync() of a file on the root disk", 2_000, FsyncWrite::new),
                new Case("tcp-connect", "loopback TCP connect + close", 5_000, TcpConnect::new));
    }

    @Benchmark("overhead")
    void perEventOverheadOfEveryExample() throws Exception {
        BpfAvailability.require();
        List<Row> rows = rows();
        String table = table(rows);
        Path out = BenchmarkOutput.dir();
        Files.writeString(out.resolve("overhead.md"), table);
        System.out.println(table);
        assertThat(rows).isNotEmpty();
    }

    /** A row per bundled example, measured in this run. */
    static List<Row> rows() throws Exception {
        List<Row> rows = new ArrayList<>();
        String only = System.getProperty("benchmark.examples", "");
        for (Case c : cases()) {
            if (!only.isBlank() && !Arrays.asList(only.split(",")).contains(c.example())) {
                continue;
            }
            Row row = measure(c);
            System.err.println(format(row));
            rows.add(row);
        }
        return rows;
    }

    private static Row measure(Case c) throws Exception {
        double[] without = new double[ROUNDS];
        double[] empty = new double[ROUNDS];
        double[] with = new double[ROUNDS];
        double[] withStats = new double[ROUNDS];
        long runs = 0;
        double runTimeNs = 0;
        boolean attached = false;
        try (Trigger trigger = c.setup().get();
             LaunchedExporter.ConfigDir emptyDir = emptyHooks(c.example())) {
            trigger.run(c.iterations()); // warm up the JIT and the caches
            for (int round = 0; round < ROUNDS; round++) {
                // Rotate the order so that drift (caches, frequency, background work) cancels out.
                for (int step = 0; step < 3; step++) {
                    switch ((round + step) % 3) {
                        case 0 -> without[round] = timePerIteration(trigger, c.iterations());
                        case 1 -> {
                            try (InProcessExporter hooks = InProcessExporter.load(emptyDir.path(), c.example())) {
                                assertThat(hooks.failures()).as("empty hooks of %s", c.example()).isEmpty();
                                empty[round] = timePerIteration(trigger, c.iterations());
                            }
                        }
                        default -> {
                            try (LaunchedExporter.ConfigDir dir = exampleWith(c);
                                 InProcessExporter exporter = InProcessExporter.load(dir.path(), c.example())) {
                                assertThat(exporter.failures()).as(c.example()).isEmpty();
                                attached = exporter.configs().stream().flatMap(conf -> conf.programs().stream())
                                        .anyMatch(ProgramState::attached);
                                with[round] = timePerIteration(trigger, c.iterations());
                                List<String> ids = programIds(exporter);
                                try (BpfStats stats = BpfStats.enable()) {
                                    Samples before = exporter.scrape();
                                    withStats[round] = timePerIteration(trigger, c.iterations());
                                    Samples after = exporter.scrape();
                                    for (String id : ids) {
                                        runs += (long) after.increaseSince(before, "ebpf_exporter_ebpf_program_run_count_total", "id", id);
                                        runTimeNs += after.increaseSince(before, "ebpf_exporter_ebpf_program_run_time_seconds", "id", id) * 1e9;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        double runsPerIteration = (double) runs / ((double) c.iterations() * ROUNDS);
        return new Row(c, hookKinds(c.example()), median(without), median(empty), median(with),
                medianDifference(empty, without), medianDifference(with, empty), medianDifference(with, without),
                medianDifference(withStats, with), runsPerIteration, runs == 0 ? Double.NaN : runTimeNs / runs, attached);
    }

    /** A config dir with the example's YAML and the case's object. */
    private static LaunchedExporter.ConfigDir exampleWith(Case c) throws IOException {
        Path root = BpfAvailability.projectRoot();
        return new LaunchedExporter.ConfigDir("overhead-example").add(c.example(),
                Files.readString(root.resolve("examples/" + c.example() + ".yaml")), root.resolve(c.object()));
    }

    /**
     * A config dir holding the example's hooks with empty programs ({@code src/test/bpf/empty/<example>.bpf.o},
     * generated by that Makefile) and a config reading its one untouched map.
     */
    private static LaunchedExporter.ConfigDir emptyHooks(String example) throws IOException {
        Path object = BpfAvailability.projectRoot().resolve("src/test/bpf/empty/" + example + ".bpf.o");
        return new LaunchedExporter.ConfigDir("overhead-empty").add(example, """
                metrics:
                  counters:
                    - name: empty_total
                      help: Never counted, the hooks' programs are empty
                      labels:
                        - name: slot
                          size: 4
                          decoders:
                            - name: uint
                """, object);
    }

    /** The kinds of hook the example's programs sit on, from its section names (tp_btf, raw_tp, kprobe, ...). */
    static String hookKinds(String example) throws IOException {
        String source = Files.readString(BpfAvailability.projectRoot().resolve("examples/" + example + ".bpf.c"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("SEC\\(\"([a-z_]+)[/\"]").matcher(source);
        java.util.Set<String> kinds = new java.util.LinkedHashSet<>();
        while (m.find()) {
            if (!m.group(1).isEmpty() && !m.group(1).equals("license")) {
                kinds.add(m.group(1));
            }
        }
        return String.join(", ", kinds);
    }

    private static double medianDifference(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return median(d);
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
        out.append(BenchmarkOutput.table("| Example | Hooks | One iteration | Iterations x rounds | Without (ns/iter) "
                + "| Empty programs on its hooks | With the example | Added by the hooks | Added by its programs "
                + "| Added in all | Added by statistics | Program runs / iter | ns / program run (kernel) |",
                "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|", rows, OverheadBenchmark::format));
        out.append("\nMedians over ").append(ROUNDS).append(" rounds, ns per iteration; each round times the loop without "
                + "anything loaded, with empty programs on the example's hooks (`src/test/bpf/empty/<example>.bpf.o`: the "
                + "example's program sections, each returning 0) and with the example, in a rotating order; the added "
                + "columns are medians of the per-round differences (with the example − empty, etc.), so they can come out "
                + "negative where the event is rare or the loop's own noise is larger than the cost. These three run with "
                + "the kernel's BPF statistics off, as the exporter runs by default. \"Added by statistics\" is a fourth "
                + "loop, the example loaded and `BPF_ENABLE_STATS` held (as `--bpf.stats=on`), against the third; program "
                + "runs and run time come from that loop (`ebpf_exporter_ebpf_program_run_count_total`, "
                + "`..._run_time_seconds`), summed over the example's programs and all CPUs, so they include events "
                + "from the rest of the machine. \"not attached\": this kernel refused the example's hooks.\n\n");
        out.append("The reference exporter's published per-event figures, for comparison (its benchmark: an empty program "
                + "/ one with a simple key / one with a complex key, on the same hook): tracepoint +15 / +35 / +96 ns, "
                + "fentry +24 / +42 / +103 ns, kprobe +137 / +160 / +229 ns.\n");
        return out.toString();
    }

    private static String format(Row row) {
        Case c = row.c();
        if (!row.attached()) {
            return String.format(Locale.ROOT, "| %s | %s | %s | %,d x %d | %s | %s | %s | - | - | - | - | not attached | - |",
                    c.title(), row.hooks(), c.trigger(), c.iterations(), ROUNDS, ns(row.withoutNs()), ns(row.emptyNs()),
                    ns(row.withNs()));
        }
        return String.format(Locale.ROOT, "| %s | %s | %s | %,d x %d | %s | %s | %s | %s | %s | %s | %s | %.3f | %s |",
                c.title(), row.hooks(), c.trigger(), c.iterations(), ROUNDS, ns(row.withoutNs()), ns(row.emptyNs()),
                ns(row.withNs()), signed(row.hookAddedNs()), signed(row.programAddedNs()), signed(row.addedNs()),
                signed(row.statsAddedNs()), row.runsPerIteration(),
                Double.isNaN(row.nsPerRun()) ? "-" : String.format(Locale.ROOT, "%.0f", row.nsPerRun()));
    }

    private static String signed(double value) {
        return (value >= 0 ? "+" : "") + ns(value);
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

    /** Each iteration writes a 4 KiB page at offset 0 of a scratch file, then does {@link #afterWrite}. */
    abstract static class PageWrite implements Trigger {
        private final Workloads.ScratchFile file;
        final FileChannel channel;
        private final ByteBuffer page = ByteBuffer.allocateDirect(4096);

        PageWrite(String name) {
            file = Workloads.scratchFile(name);
            try {
                channel = FileChannel.open(file.path(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        abstract void afterWrite() throws IOException;

        @Override
        public void run(long iterations) throws IOException {
            for (long i = 0; i < iterations; i++) {
                page.clear();
                channel.write(page, 0);
                afterWrite();
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
            file.close();
        }
    }

    /** Writes a page into an empty scratch file and truncates it: a folio added, dirtied and deleted. */
    static final class PageChurn extends PageWrite {
        PageChurn() {
            super("overhead-pages");
        }

        @Override
        void afterWrite() throws IOException {
            channel.truncate(0);
        }
    }

    /** Writes 4 KiB into a scratch file and syncs its data: one fdatasync, through vfs_fsync_range. */
    static final class FsyncWrite extends PageWrite {
        FsyncWrite() {
            super("overhead-fsync");
        }

        @Override
        void afterWrite() throws IOException {
            channel.force(false);
        }
    }

    /** A loopback TCP connection opened and closed per iteration (an accepting thread closes its side). */
    static final class TcpConnect implements Trigger {
        private final ServerSocket server;
        private final Thread acceptor;

        TcpConnect() {
            try {
                server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            acceptor = Thread.ofPlatform().daemon().start(() -> {
                while (!server.isClosed()) {
                    try (Socket accepted = server.accept()) {
                        accepted.getInputStream().read(); // until the client's reset
                    } catch (IOException e) {
                        // closed at the end of the benchmark
                    }
                }
            });
        }

        @Override
        public void run(long iterations) throws IOException {
            for (long i = 0; i < iterations; i++) {
                // Closed with a reset, so that 100k iterations leave no TIME_WAIT sockets behind.
                try (Socket client = new Socket(server.getInetAddress(), server.getLocalPort())) {
                    client.setSoLinger(true, 0);
                } catch (java.net.SocketException reset) {
                    // a connect refused or reset under load: connect() ran, which is the event measured
                }
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            acceptor.join(5_000);
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
