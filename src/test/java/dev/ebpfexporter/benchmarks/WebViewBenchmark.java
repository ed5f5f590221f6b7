package dev.ebpfexporter.benchmarks;

import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the live web view costs the exporter: the launcher with timers and biolatency, its CPU time
 * (utime + stime of the process) over a quiet period, then over the same period with one page's
 * polling ({@code /view/data?since=SEQ} every 2 s, as the page's script does) and with five pages
 * at once (they share samples). Reports CPU per update above idle, bytes per update, the first
 * response of a page opened after them (with all the history they made), and the sampler's own CPU per sample as it reports it. Writes
 * {@code target/benchmarks/webview.md}.
 *
 * <p>Run: {@code ./mvnw -q verify -Pbenchmarks -Dbenchmark=webview} ({@code -Dbenchmark.seconds=60}).
 */
@Tag("benchmark")
class WebViewBenchmark {
    private static final long SECONDS = Long.getLong("benchmark.seconds", 60);
    private static final long POLL_MILLIS = 2000;
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+),\"time\"");
    private static final Pattern SAMPLE_CPU = Pattern.compile("\"sample_cpu_us\":(\\d+)");

    private record Polling(long updates, long bytes, long sampleCpuMicros, long cpuTicks) {
    }

    @Benchmark("webview")
    @Timeout(900)
    void webview() throws Exception {
        BpfAvailability.require();
        Path root = BpfAvailability.projectRoot();
        Path out = BenchmarkOutput.dir();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port;
        Process process = new ProcessBuilder(root.resolve("ebpf_exporter").toString(),
                "--config.dir=" + root.resolve("examples"), "--config.names=timers,biolatency",
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(out.resolve("webview.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (true) {
                try {
                    if (HttpGet.get(URI.create(base + "/-/ready")).status() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                assertThat(process.isAlive() && System.nanoTime() < deadline).as("launcher ready").isTrue();
                Thread.sleep(50);
            }
            Thread.sleep(10_000);
            long page = HttpGet.get(URI.create(base + "/")).body().length;
            long assets = HttpGet.get(URI.create(base + "/view/view.js")).body().length
                    + HttpGet.get(URI.create(base + "/view/view.css")).body().length;
            Thread.sleep(5_000);

            long idleTicks = cpuTicks(process.pid());
            Thread.sleep(SECONDS * 1000);
            idleTicks = cpuTicks(process.pid()) - idleTicks;
            Polling one = poll(base, process.pid(), 1);
            Polling five = poll(base, process.pid(), 5);
            // A page opened now gets the history of both polling phases in its first update.
            long first = HttpGet.get(URI.create(base + "/view/data")).body().length;

            double tickMs = 10; // USER_HZ is 100 on Linux
            double idleMsPerSecond = idleTicks * tickMs / SECONDS;
            double oneCpuPerUpdate = (one.cpuTicks() - idleTicks) * tickMs / one.updates();
            double fiveCpuPerRound = (five.cpuTicks() - idleTicks) * tickMs / (five.updates() / 5.0);
            String table = String.format(Locale.ROOT, """
                    # Web view cost (timers + biolatency, %d s per phase, one update per %d ms)

                    | measure | value |
                    |---|---|
                    | exporter CPU, nobody viewing | %.2f ms/s |
                    | CPU per update above idle, one page polling | %.2f ms |
                    | CPU per update round above idle, five pages polling | %.2f ms |
                    | sampler CPU per sample (map reads + decoding, as the view reports it) | %.2f ms |
                    | bytes per update (JSON, after the first) | %d |
                    | first update of a page opened after both phases (all their history, JSON) | %d bytes |
                    | landing page HTML + script + style sheet | %d + %d bytes |
                    | updates measured (one page / five pages) | %d / %d |
                    """, SECONDS, POLL_MILLIS, idleMsPerSecond, oneCpuPerUpdate, fiveCpuPerRound,
                    one.sampleCpuMicros() / 1000.0 / one.updates(), one.bytes() / one.updates(), first, page, assets,
                    one.updates(), five.updates());
            Files.writeString(out.resolve("webview.md"), table);
            System.out.println(table);
            assertThat(one.updates()).isGreaterThan(SECONDS / 3);
        } finally {
            process.destroy();
            process.waitFor();
        }
    }

    /** {@code pages} pollers, each asking for what is new since its last update, for {@link #SECONDS}. */
    private static Polling poll(String base, long pid, int pages) throws Exception {
        long[] seq = new long[pages];
        long updates = 0;
        long bytes = 0;
        long sampleCpu = 0;
        for (int p = 0; p < pages; p++) {
            seq[p] = seqOf(HttpGet.get(URI.create(base + "/view/data")).body());
        }
        long ticks = cpuTicks(pid);
        long end = System.nanoTime() + SECONDS * 1_000_000_000L;
        while (System.nanoTime() < end) {
            long round = System.nanoTime();
            for (int p = 0; p < pages; p++) {
                byte[] body = HttpGet.get(URI.create(base + "/view/data?since=" + seq[p])).body();
                seq[p] = seqOf(body);
                updates++;
                bytes += body.length;
                Matcher cpu = SAMPLE_CPU.matcher(new String(body, StandardCharsets.UTF_8));
                sampleCpu += cpu.find() ? Long.parseLong(cpu.group(1)) : 0;
            }
            Thread.sleep(Math.max(0, POLL_MILLIS - (System.nanoTime() - round) / 1_000_000));
        }
        return new Polling(updates, bytes, sampleCpu, cpuTicks(pid) - ticks);
    }

    private static long seqOf(byte[] body) {
        Matcher m = SEQ.matcher(new String(body, StandardCharsets.UTF_8));
        assertThat(m.find()).as("seq in the view data").isTrue();
        return Long.parseLong(m.group(1));
    }

    /** utime + stime of the process, in clock ticks. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        List<String> list = new ArrayList<>(List.of(fields));
        return Long.parseLong(list.get(11)) + Long.parseLong(list.get(12));
    }
}
