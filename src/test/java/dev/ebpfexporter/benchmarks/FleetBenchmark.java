package dev.ebpfexporter.benchmarks;

import dev.ebpfexporter.bpf.BpfMaps;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.TestTools;
import org.junit.jupiter.api.Tag;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the exporter costs on every node, beside node_exporter, in one run: start to the first HTTP 200,
 * idle memory (with where it goes, against a do-nothing JVM started with the same flags), idle CPU, memory
 * after scrapes of 100k series, the scrape against one bare batch read of the map, a request's fixed CPU
 * cost, and the per-event cost of every example ({@link OverheadBenchmark}). Writes the table into
 * {@code benchmarks/README.md} and the headline into {@code README.md} (between their {@code fleet}
 * markers), and {@code target/benchmarks/fleet.md}.
 *
 * <p>Run: {@code ./mvnw -q verify -Pbenchmarks -Dbenchmark=fleet} (knobs: {@code -Dbenchmark.idleSeconds=60},
 * {@code -Dbenchmark.startRounds=7}, {@code -Dbenchmark.fleet.overhead=false} leaves the per-event part out,
 * {@code -Dbenchmark.fleet.parts=start,idle,burst} runs only those and prints them without writing the table).
 */
@Tag("benchmark")
class FleetBenchmark {
    private static final long IDLE_SECONDS = Long.getLong("benchmark.idleSeconds", 60);
    private static final int START_ROUNDS = Integer.getInteger("benchmark.startRounds", 7);
    private static final int BURST_SCRAPES = 50;
    private static final int FIXED_COST_REQUESTS = 1000;
    private static final String NODE_EXPORTER = "prometheus-node-exporter";

    @Benchmark("fleet")
    void fleet() throws Exception {
        BpfAvailability.require();
        TestTools.require(NODE_EXPORTER, NODE_EXPORTER);
        Path root = BpfAvailability.projectRoot();
        Path out = BenchmarkOutput.dir();
        String machine = OverheadBenchmark.machine();
        String parts = System.getProperty("benchmark.fleet.parts", "");
        if (!parts.isBlank()) {
            // Some parts only, for a quick look while changing something: printed, no table written.
            List<String> wanted = Arrays.asList(parts.split(","));
            if (wanted.contains("start")) {
                System.out.println(start(root, out));
            }
            if (wanted.contains("idle")) {
                System.out.println(idle(root, out));
            }
            if (wanted.contains("burst")) {
                Burst burst = burst(root, out);
                System.out.println(burst + "\n" + burst.profile());
            }
            return;
        }

        Start start = start(root, out);
        System.out.println(start);
        Idle idle = idle(root, out);
        System.out.println(idle);
        Burst burst = burst(root, out);
        System.out.println(burst);
        List<HttpScrapeBenchmark.Row> scrapes = HttpScrapeBenchmark.rows(root,
                List.of(HttpScrapeBenchmark.Kind.values()), List.of(1_000, 100_000));
        String overhead = Boolean.parseBoolean(System.getProperty("benchmark.fleet.overhead", "true"))
                ? OverheadBenchmark.table(OverheadBenchmark.rows()) : "(left out: -Dbenchmark.fleet.overhead=false)\n";

        String table = table(machine, start, idle, burst, scrapes, overhead);
        Files.writeString(out.resolve("fleet.md"), table);
        System.out.println(table);
        if (!Boolean.getBoolean("benchmark.fleet.noReadme")) {
            replaceBetweenMarkers(root.resolve("benchmarks/README.md"), table);
            replaceBetweenMarkers(root.resolve("README.md"), headline(start, idle, burst, scrapes));
        }
    }

    // ---------------------------------------------------------------- measurements

    /** Process start to the first HTTP 200 a client sees, exporter and node_exporter alternating. */
    record Start(List<Double> exporterMs, List<Double> exporterCpuMs, List<Double> nodeMs) {
        @Override
        public String toString() {
            return "start: exporter " + exporterMs + " ms (CPU " + exporterCpuMs + "), node_exporter " + nodeMs;
        }
    }

    private static Start start(Path root, Path out) throws Exception {
        List<Double> exporter = new ArrayList<>();
        List<Double> exporterCpu = new ArrayList<>();
        List<Double> node = new ArrayList<>();
        for (int round = 0; round < START_ROUNDS; round++) {
            for (boolean exporterFirst : new boolean[]{round % 2 == 0, round % 2 != 0}) {
                if (exporterFirst) {
                    try (Started started = Started.exporter(root, out.resolve("fleet-start.log"), Map.of())) {
                        exporter.add(started.firstOkMillis);
                        exporterCpu.add((double) started.proc.cpuMillis());
                    }
                } else {
                    try (Started started = Started.nodeExporter(out.resolve("fleet-node.log"))) {
                        node.add(started.firstOkMillis);
                    }
                }
            }
        }
        return new Start(exporter, exporterCpu, node);
    }

    /** Memory of one process: resident, anonymous, file-backed (smaps_rollup), and its largest mappings. */
    record Memory(long rssKib, long anonKib, long fileKib, Map<String, Long> mappings) {
        double rssMib() {
            return rssKib / 1024.0;
        }
    }

    record Idle(Memory exporter, Memory node, Memory jvm, Map<String, Long> exporterNmt, Map<String, Long> jvmNmt,
                double exporterCpuPercent, double nodeCpuPercent, double healthyCpuMs, double metricsCpuMs,
                int threads, boolean statsOffByDefault) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "idle: exporter %.1f MiB, node_exporter %.1f MiB, JVM %.1f MiB, CPU %.3f%% / %.3f%%",
                    exporter.rssMib(), node.rssMib(), jvm.rssMib(), exporterCpuPercent, nodeCpuPercent);
        }
    }

    private static Idle idle(Path root, Path out) throws Exception {
        String nmt = "-XX:NativeMemoryTracking=summary";
        try (Started exporter = Started.exporter(root, out.resolve("fleet-idle.log"), Map.of());
             Started exporterNmt = Started.exporter(root, out.resolve("fleet-idle-nmt.log"), Map.of("JAVA_OPTS", nmt));
             Started node = Started.nodeExporter(out.resolve("fleet-node.log"));
             Proc jvm = Proc.idleJvm(root, "");
             Proc jvmNmt = Proc.idleJvm(root, nmt)) {
            long startedAt = System.nanoTime();
            sleepUntil(startedAt + TimeUnit.SECONDS.toNanos(IDLE_SECONDS));
            Memory exporterMemory = exporter.proc.memory();
            Memory nodeMemory = node.proc.memory();
            Memory jvmMemory = jvm.memory();
            Map<String, Long> exporterNmtSummary = exporterNmt.proc.nmt();
            Map<String, Long> jvmNmtSummary = jvmNmt.nmt();
            int threads = exporter.proc.threads();
            long exporterCpu = exporter.proc.cpuMillis();
            long nodeCpu = node.proc.cpuMillis();
            Thread.sleep(TimeUnit.SECONDS.toMillis(IDLE_SECONDS));
            double exporterPercent = (exporter.proc.cpuMillis() - exporterCpu) / (IDLE_SECONDS * 10.0);
            double nodePercent = (node.proc.cpuMillis() - nodeCpu) / (IDLE_SECONDS * 10.0);
            double healthy = exporter.requestCpuMillis("/-/healthy", FIXED_COST_REQUESTS);
            double metrics = exporter.requestCpuMillis("/metrics", FIXED_COST_REQUESTS / 4);
            String log = Files.readString(out.resolve("fleet-idle.log"));
            return new Idle(exporterMemory, nodeMemory, jvmMemory, exporterNmtSummary, jvmNmtSummary, exporterPercent,
                    nodePercent, healthy, metrics, threads, log.contains("bpf.stats=off"));
        }
    }

    record Burst(Memory idle, Memory afterScrapes, double scrapeMs, String profile) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "burst: idle %.1f MiB, after %d scrapes of 100k + 10 s %.1f MiB",
                    idle.rssMib(), BURST_SCRAPES, afterScrapes.rssMib());
        }
    }

    /** The default examples plus a u64 counter map: idle, then 100k series scraped 50 times, then 10 s. */
    private static Burst burst(Path root, Path out) throws Exception {
        HttpScrapeBenchmark.Kind kind = HttpScrapeBenchmark.Kind.U64;
        try (LaunchedExporter.ConfigDir dir = new LaunchedExporter.ConfigDir("fleet-burst")) {
            for (String example : List.of("timers", "biolatency")) {
                dir.add(example, Files.readString(root.resolve("examples/" + example + ".yaml")),
                        root.resolve("examples/" + example + ".bpf.o"));
            }
            dir.add(kind.config(), kind.yaml, root.resolve("src/test/bpf/http_bench.bpf.o"));
            long launched = System.nanoTime();
            try (LaunchedExporter exporter = LaunchedExporter.launch(root, dir.path(), "timers,biolatency," + kind.config(),
                    out.resolve("fleet-burst.log"), List.of());
                 BpfMaps.Owned owned = exporter.openMap(kind.map)) {
                sleepUntil(launched + TimeUnit.SECONDS.toNanos(IDLE_SECONDS));
                Memory idle = Proc.of(exporter.process()).memory();
                HttpScrapeBenchmark.fill(kind, owned.map(), 0, 100_000);
                long began = System.nanoTime();
                List<Curl.Transfer> transfers = Curl.fetch(exporter.url(), Curl.TEXT, false, BURST_SCRAPES);
                double perScrape = (System.nanoTime() - began) / 1e6 / BURST_SCRAPES;
                assertThat(transfers.getLast().bytes()).as("100k series served").isGreaterThan(4_000_000);
                Thread.sleep(10_000);
                Memory after = Proc.of(exporter.process()).memory();
                return new Burst(idle, after, perScrape, profile(exporter, out.resolve("fleet-burst.jfr")));
            }
        }
    }

    /**
     * Where a 100k-series text scrape's CPU goes: JFR (profile settings) on the exporter during 20 more
     * scrapes, after the memory was measured; {@code jfr view hot-methods} (Java methods by samples); then
     * what its heap holds ({@code jcmd GC.class_histogram}).
     */
    private static String profile(LaunchedExporter exporter, Path recording) throws Exception {
        String pid = Long.toString(exporter.process().pid());
        run(jdkTool("jcmd"), pid, "JFR.start", "name=fleet", "settings=profile");
        Curl.fetch(exporter.url(), Curl.TEXT, false, 20);
        run(jdkTool("jcmd"), pid, "JFR.stop", "name=fleet", "filename=" + recording);
        String view = run(jdkTool("jfr"), "view", "--width", "140", "hot-methods", recording.toString());
        // What the heap holds after those scrapes (the histogram runs a full collection first).
        String histogram = run(jdkTool("jcmd"), pid, "GC.class_histogram");
        return view.lines().filter(line -> !line.isBlank()).limit(22).reduce("", (a, b) -> a + b + "\n")
                + "\nLive heap after the scrapes (jcmd GC.class_histogram, top 15):\n"
                + histogram.lines().skip(1).limit(18).reduce("", (a, b) -> a + b + "\n")
                + histogram.lines().reduce((a, b) -> b).orElse("") + "\n";
    }

    private static String jdkTool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", List.of(command), output).isZero();
        return output;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    // ---------------------------------------------------------------- processes

    /** A process of ours, read through /proc. */
    record Proc(Process process) implements AutoCloseable {
        static Proc of(Process process) {
            return new Proc(process);
        }

        /** The do-nothing JVM: the launcher's JVM flags (scripts/jvm-flags.sh) plus {@code extra}. */
        static Proc idleJvm(Path root, String extra) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String script = ". \"$1/scripts/jvm-flags.sh\"; exec \"$2\" $jvm_flags " + extra
                    + " -cp \"$1/target/test-classes\" " + IdleJvm.class.getName();
            Process process = new ProcessBuilder("sh", "-c", script, "sh", root.toString(), java)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return new Proc(process);
        }

        long pid() {
            return process.pid();
        }

        long cpuMillis() throws IOException {
            String stat = Files.readString(Path.of("/proc/" + pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        }

        int threads() throws IOException {
            try (var tasks = Files.list(Path.of("/proc/" + pid() + "/task"))) {
                return (int) tasks.count();
            }
        }

        Memory memory() throws IOException {
            Map<String, Long> rollup = new LinkedHashMap<>();
            for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/smaps_rollup"))) {
                String[] f = line.split("\\s+");
                if (f.length == 3 && f[2].equals("kB")) {
                    rollup.put(f[0].replace(":", ""), Long.parseLong(f[1]));
                }
            }
            long rss = rollup.get("Rss");
            long anon = rollup.get("Anonymous");
            return new Memory(rss, anon, rss - anon, mappings());
        }

        /** Resident KiB by mapped file ({@code [anon]} for anonymous memory), largest first. */
        private Map<String, Long> mappings() throws IOException {
            Map<String, Long> byName = new LinkedHashMap<>();
            String name = "[anon]";
            for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/smaps"))) {
                if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                    String[] f = line.trim().split("\\s+", 6);
                    name = f.length == 6 ? f[5] : "[anon]";
                } else if (line.startsWith("Rss:")) {
                    byName.merge(name, Long.parseLong(line.replaceAll("\\D+", "")), Long::sum);
                }
            }
            Map<String, Long> sorted = new LinkedHashMap<>();
            byName.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                    .forEach(e -> sorted.put(e.getKey(), e.getValue()));
            return sorted;
        }

        /** Committed KiB per native memory tracking category ({@code jcmd VM.native_memory summary}). */
        Map<String, Long> nmt() throws Exception {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            Process p = new ProcessBuilder(jcmd, Long.toString(pid()), "VM.native_memory", "summary")
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            Map<String, Long> committed = new LinkedHashMap<>();
            Matcher total = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB").matcher(text);
            assertThat(total.find()).as("NMT summary of %d: %s", pid(), text).isTrue();
            committed.put("Total", Long.parseLong(total.group(1)));
            Matcher m = Pattern.compile("-\\s+([A-Za-z ]+?) \\(reserved=\\d+KB, committed=(\\d+)KB").matcher(text);
            while (m.find()) {
                committed.put(m.group(1).trim(), Long.parseLong(m.group(2)));
            }
            return committed;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** A server started and polled until its first 200: how long that took, from just before the fork. */
    private record Started(Proc proc, URI base, double firstOkMillis) implements AutoCloseable {
        static Started exporter(Path root, Path log, Map<String, String> env) throws Exception {
            int port = Ports.free();
            ProcessBuilder builder = new ProcessBuilder(root.resolve("ebpf_exporter").toString(),
                    "--config.dir=" + root.resolve("examples"), "--config.names=timers,biolatency",
                    "--web.listen-address=127.0.0.1:" + port);
            builder.environment().putAll(env);
            return start(builder, port, log);
        }

        static Started nodeExporter(Path log) throws Exception {
            int port = Ports.free();
            return start(new ProcessBuilder(NODE_EXPORTER, "--web.listen-address=127.0.0.1:" + port), port, log);
        }

        private static Started start(ProcessBuilder builder, int port, Path log) throws Exception {
            URI base = URI.create("http://127.0.0.1:" + port);
            URI metrics = base.resolve("/metrics");
            long began = System.nanoTime();
            Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Proc proc = new Proc(process);
            try {
                while (System.nanoTime() - began < TimeUnit.SECONDS.toNanos(60)) {
                    try {
                        if (HttpGet.get(metrics).status() == 200) {
                            return new Started(proc, base, (System.nanoTime() - began) / 1e6);
                        }
                    } catch (IOException notYet) {
                        // not listening yet
                    }
                    assertThat(process.isAlive()).as("%s exited early, see %s", builder.command().getFirst(), log).isTrue();
                    Thread.sleep(2);
                }
                throw new AssertionError(builder.command().getFirst() + " not serving within 60 s, see " + log);
            } catch (Exception | AssertionError e) {
                proc.close();
                throw e;
            }
        }

        /** Process CPU per request over {@code count} GETs of {@code path} (one curl, one connection). */
        double requestCpuMillis(String path, int count) throws Exception {
            List<String> command = new ArrayList<>(List.of("curl", "-s"));
            for (int i = 0; i < count; i++) {
                command.addAll(List.of("-o", "/dev/null", "-w", "%{http_code}\\n", base.resolve(path).toString()));
            }
            long before = proc.cpuMillis();
            Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
            String codes = new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(curl.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(codes.lines()).as("status of %s", path).hasSize(count).containsOnly("200");
            return (proc.cpuMillis() - before) / (double) count;
        }

        @Override
        public void close() throws InterruptedException {
            proc.close();
        }
    }

    // ---------------------------------------------------------------- output

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String spread(List<Double> values, String format) {
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return String.format(Locale.ROOT, format + " (" + format + "–" + format + ")", median(values), min, max);
    }

    private static String met(boolean met, String miss) {
        return met ? "met" : "**missed** " + miss;
    }

    private static HttpScrapeBenchmark.Row row(List<HttpScrapeBenchmark.Row> rows, HttpScrapeBenchmark.Kind kind, int series) {
        int expected = kind == HttpScrapeBenchmark.Kind.HISTOGRAM ? series / 20 : series;
        return rows.stream().filter(r -> r.kind() == kind && r.series() == expected).findFirst().orElseThrow();
    }

    private static double textRatio(HttpScrapeBenchmark.Row r) {
        return r.text().median() / r.floor().median();
    }

    private static double protobufRatio(HttpScrapeBenchmark.Row r) {
        return r.protobuf().median() / r.floor().median();
    }

    static String table(String machine, Start start, Idle idle, Burst burst, List<HttpScrapeBenchmark.Row> scrapes,
                        String overhead) {
        HttpScrapeBenchmark.Kind[] kinds = HttpScrapeBenchmark.Kind.values();
        double[] text = Arrays.stream(kinds).mapToDouble(k -> textRatio(row(scrapes, k, 100_000))).toArray();
        double[] protobuf = Arrays.stream(kinds).mapToDouble(k -> protobufRatio(row(scrapes, k, 100_000))).toArray();
        double[] small = Arrays.stream(kinds).mapToDouble(k -> row(scrapes, k, 1_000).text().median()).toArray();
        double[] smallProtobuf = Arrays.stream(kinds).mapToDouble(k -> row(scrapes, k, 1_000).protobuf().median()).toArray();
        double maxText = Arrays.stream(text).max().orElseThrow();
        double maxProtobuf = Arrays.stream(protobuf).max().orElseThrow();
        double maxSmall = Math.max(Arrays.stream(small).max().orElseThrow(), Arrays.stream(smallProtobuf).max().orElseThrow());
        double startMs = median(start.exporterMs());
        double burstGrowth = burst.afterScrapes().rssMib() - burst.idle().rssMib();
        StringBuilder out = new StringBuilder();
        out.append(machine).append("\n\n");
        out.append("| what | ebpf_exporter | node_exporter | target | |\n|---|---:|---:|---|---|\n");
        out.append(String.format(Locale.ROOT, "| idle RSS, default examples, %d s after start (anonymous / file-backed) | %.1f MiB (%.1f / %.1f) | %.1f MiB (%.1f / %.1f) | < 48 MiB | %s |\n",
                IDLE_SECONDS, idle.exporter().rssMib(), idle.exporter().anonKib() / 1024.0, idle.exporter().fileKib() / 1024.0,
                idle.node().rssMib(), idle.node().anonKib() / 1024.0, idle.node().fileKib() / 1024.0,
                met(idle.exporter().rssMib() < 48, String.format(Locale.ROOT, "by %.1f MiB", idle.exporter().rssMib() - 48))));
        out.append(String.format(Locale.ROOT, "| the same for a do-nothing JVM with the launcher's flags | %.1f MiB (%.1f / %.1f) | — | — | |\n",
                idle.jvm().rssMib(), idle.jvm().anonKib() / 1024.0, idle.jvm().fileKib() / 1024.0));
        out.append(String.format(Locale.ROOT, "| RSS with a 100k-series map: idle, then %d text scrapes + 10 s | %.1f → %.1f MiB (+%.1f) | — | within 20 MiB of idle | %s |\n",
                BURST_SCRAPES, burst.idle().rssMib(), burst.afterScrapes().rssMib(), burstGrowth,
                met(burstGrowth <= 20, String.format(Locale.ROOT, "by %.1f MiB", burstGrowth - 20))));
        out.append(String.format(Locale.ROOT, "| process start to first HTTP 200, median (min–max) of %d | %s ms (CPU %s ms) | %s ms | < 500 ms | %s |\n",
                START_ROUNDS, spread(start.exporterMs(), "%.0f"), spread(start.exporterCpuMs(), "%.0f"),
                spread(start.nodeMs(), "%.0f"), met(startMs < 500, String.format(Locale.ROOT, "by %.0f ms", startMs - 500))));
        out.append(String.format(Locale.ROOT, "| idle CPU over %d s, %% of one core | %.3f%% | %.3f%% | < 0.1%% | %s |\n",
                IDLE_SECONDS, idle.exporterCpuPercent(), idle.nodeCpuPercent(), met(idle.exporterCpuPercent() < 0.1,
                        String.format(Locale.ROOT, "by %.3f points", idle.exporterCpuPercent() - 0.1))));
        out.append(String.format(Locale.ROOT, "| HTTP text scrape of 100k series / one batch read (u64, 2-label, histogram) | %.2fx, %.2fx, %.2fx | — | ≤ 1.5x | %s |\n",
                text[0], text[1], text[2], met(maxText <= 1.5, String.format(Locale.ROOT, "by %.2fx", maxText - 1.5))));
        out.append(String.format(Locale.ROOT, "| HTTP protobuf scrape of 100k series / one batch read | %.2fx, %.2fx, %.2fx | — | ≤ 1.2x | %s |\n",
                protobuf[0], protobuf[1], protobuf[2], met(maxProtobuf <= 1.2, String.format(Locale.ROOT, "by %.2fx", maxProtobuf - 1.2))));
        out.append(String.format(Locale.ROOT, "| HTTP scrape of 1k series, text / protobuf, median ms | %.2f / %.2f, %.2f / %.2f, %.2f / %.2f | — | ≤ 1 ms | %s |\n",
                small[0], smallProtobuf[0], small[1], smallProtobuf[1], small[2], smallProtobuf[2],
                met(maxSmall <= 1, String.format(Locale.ROOT, "by %.2f ms", maxSmall - 1))));
        out.append(String.format(Locale.ROOT, "| a request's fixed cost: process CPU per `GET /-/healthy` (%d requests) | %.3f ms | — | < 1 ms | %s |\n",
                FIXED_COST_REQUESTS, idle.healthyCpuMs(), met(idle.healthyCpuMs() < 1, "")));
        out.append(String.format(Locale.ROOT, "| process CPU per `GET /metrics`, default examples and JVM metrics | %.2f ms | — | — | |\n",
                idle.metricsCpuMs()));
        out.append(String.format(Locale.ROOT, "| kernel BPF run-time statistics | %s | — | off unless asked | %s |\n",
                idle.statsOffByDefault() ? "off (`--bpf.stats=off`, the default)" : "on", met(idle.statsOffByDefault(), "")));
        out.append(String.format(Locale.ROOT, "\nThreads of the idle exporter: %d.\n\n", idle.threads()));
        out.append("Where the idle memory goes: native memory tracking (`jcmd <pid> VM.native_memory summary`, committed "
                + "KiB, from a second instance of each started with `-XX:NativeMemoryTracking=summary`):\n\n");
        out.append("| category | ebpf_exporter | do-nothing JVM |\n|---|---:|---:|\n");
        for (Map.Entry<String, Long> e : idle.exporterNmt().entrySet()) {
            long jvm = idle.jvmNmt().getOrDefault(e.getKey(), 0L);
            if (e.getValue() >= 256 || jvm >= 256) {
                out.append(String.format(Locale.ROOT, "| %s | %,d | %,d |\n", e.getKey(), e.getValue(), jvm));
            }
        }
        out.append("\nLargest resident mappings (`/proc/<pid>/smaps`, KiB):\n\n| ebpf_exporter | | do-nothing JVM | |\n|---|---:|---|---:|\n");
        List<Map.Entry<String, Long>> a = new ArrayList<>(idle.exporter().mappings().entrySet());
        List<Map.Entry<String, Long>> b = new ArrayList<>(idle.jvm().mappings().entrySet());
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            out.append(i < a.size() ? "| `" + a.get(i).getKey() + "` | " + String.format(Locale.ROOT, "%,d", a.get(i).getValue()) : "| | ")
                    .append(i < b.size() ? " | `" + b.get(i).getKey() + "` | " + String.format(Locale.ROOT, "%,d", b.get(i).getValue()) + " |\n" : " | | |\n");
        }
        out.append("\nWhere a text scrape of the 100k-series map spends its CPU (JFR, `jfr view hot-methods`, 20 scrapes "
                + "after the memory measurement above; Java methods only: the map read itself is a system call), and "
                + "what the heap holds then:\n\n```\n")
                .append(burst.profile()).append("```\n");
        out.append("\nScrapes (`HttpScrapeBenchmark` at 1k and 100k series, same run):\n\n");
        try {
            out.append(HttpScrapeBenchmark.table(scrapes));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        out.append("\nPer-event cost (`OverheadBenchmark`, same run):\n\n").append(overhead);
        return out.toString();
    }

    /** The sentence README.md quotes: the headline figures of this run and nothing else. */
    static String headline(Start start, Idle idle, Burst burst, List<HttpScrapeBenchmark.Row> scrapes) {
        HttpScrapeBenchmark.Kind[] kinds = HttpScrapeBenchmark.Kind.values();
        double maxText = Arrays.stream(kinds).mapToDouble(k -> textRatio(row(scrapes, k, 100_000))).max().orElseThrow();
        double maxProtobuf = Arrays.stream(kinds).mapToDouble(k -> protobufRatio(row(scrapes, k, 100_000))).max().orElseThrow();
        return String.format(Locale.ROOT, "The launched exporter with the default examples, beside node_exporter in the same run "
                        + "(`./mvnw -q verify -Pbenchmarks -Dbenchmark=fleet`, the table in "
                        + "[benchmarks/README.md](benchmarks/README.md)): %.0f ms from process start to the first HTTP 200 "
                        + "(node_exporter: %.0f ms), %.1f MiB resident when idle (node_exporter: %.1f MiB; a do-nothing JVM "
                        + "with the same flags: %.1f MiB), %.1f MiB after %d scrapes of 100k series, %.3f%% of a core when "
                        + "idle, and a scrape of 100k series takes at most %.2fx (text) and %.2fx (protobuf) one bare batch "
                        + "read of the map.\n",
                median(start.exporterMs()), median(start.nodeMs()), idle.exporter().rssMib(), idle.node().rssMib(),
                idle.jvm().rssMib(), burst.afterScrapes().rssMib(), BURST_SCRAPES, idle.exporterCpuPercent(), maxText,
                maxProtobuf);
    }

    /** Replaces what lies between {@code <!-- fleet:begin -->} and {@code <!-- fleet:end -->} in {@code file}. */
    static void replaceBetweenMarkers(Path file, String content) throws IOException {
        String text = Files.readString(file);
        String begin = "<!-- fleet:begin -->\n";
        String end = "<!-- fleet:end -->";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        assertThat(from).as("%s has the fleet markers", file).isNotNegative();
        assertThat(to).as("%s has the fleet end marker after the begin marker", file).isGreaterThan(from);
        Files.writeString(file, text.substring(0, from + begin.length()) + content + text.substring(to));
    }
}
