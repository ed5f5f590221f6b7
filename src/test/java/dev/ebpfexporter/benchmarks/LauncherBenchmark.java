package dev.ebpfexporter.benchmarks;

import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Tag;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher as users run it ({@code ./ebpf_exporter --config.names=timers,biolatency}): time from
 * start to the first successful scrape, resident memory when idle after startup and after 100
 * scrapes, and 100 concurrent scrapers for a minute with zero errors. Writes
 * {@code target/benchmarks/launcher.md}.
 *
 * <p>Run: {@code ./mvnw -q verify -Pbenchmarks -Dbenchmark=launcher} (needs the packaged jar, which the
 * benchmarks profile builds before it runs benchmarks).
 */
@Tag("benchmark")
class LauncherBenchmark {
    private static final long SETTLE_MILLIS = Long.getLong("benchmark.settleMillis", 10_000);
    private static final int SCRAPERS = Integer.getInteger("benchmark.scrapers", 100);
    private static final long CONCURRENT_SECONDS = Long.getLong("benchmark.concurrentSeconds", 60);
    private static final long IDLE_SECONDS = Long.getLong("benchmark.idleSeconds", 60);

    @Benchmark("launcher")
    void launcher() throws Exception {
        BpfAvailability.require();
        Path root = BpfAvailability.projectRoot();
        int port = Ports.free();
        URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
        Path logFile = BenchmarkOutput.dir().resolve("launcher.log");
        Process process = new ProcessBuilder(root.resolve("ebpf_exporter").toString(),
                "--config.dir=" + root.resolve("examples"), "--config.names=timers,biolatency",
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(logFile.toFile())
                .start();
        try {
            long start = System.nanoTime();
            long firstScrapeMillis = -1;
            long firstScrapeCpuMillis = -1;
            while (System.nanoTime() - start < 30_000_000_000L) {
                try {
                    if (HttpGet.get(metrics).status() == 200) {
                        firstScrapeMillis = (System.nanoTime() - start) / 1_000_000;
                        firstScrapeCpuMillis = cpuMillis(process.pid());
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                assertThat(process.isAlive()).as("launcher exited early, see %s", logFile).isTrue();
                Thread.sleep(5);
            }
            assertThat(firstScrapeMillis).as("first scrape within 30 s").isPositive();
            String log = Files.readString(logFile);

            Thread.sleep(SETTLE_MILLIS);
            long idleRss = rssKib(process.pid());
            long idleCpuStart = cpuMillis(process.pid());
            Thread.sleep(IDLE_SECONDS * 1000);
            double idleCpuPercent = (cpuMillis(process.pid()) - idleCpuStart) / (IDLE_SECONDS * 10.0);
            long scrapeCpuStart = cpuMillis(process.pid());
            long scrapeWallStart = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                assertThat(HttpGet.get(metrics).status()).isEqualTo(200);
            }
            double scrapeWallMs = (System.nanoTime() - scrapeWallStart) / 1e6 / 100;
            double scrapeCpuMs = (cpuMillis(process.pid()) - scrapeCpuStart) / 100.0;
            URI missing = URI.create("http://127.0.0.1:" + port + "/missing");
            long notFoundCpuStart = cpuMillis(process.pid());
            for (int i = 0; i < 100; i++) {
                assertThat(HttpGet.get(missing).status()).isEqualTo(404);
            }
            double notFoundCpuMs = (cpuMillis(process.pid()) - notFoundCpuStart) / 100.0;
            Thread.sleep(SETTLE_MILLIS);
            long after100Rss = rssKib(process.pid());

            LongAdder requests = new LongAdder();
            LongAdder errors = new LongAdder();
            List<String> errorSamples = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> scrapers = new ArrayList<>();
            long[] worstNanos = new long[SCRAPERS];
            for (int t = 0; t < SCRAPERS; t++) {
                int index = t;
                scrapers.add(Thread.ofPlatform().name("scraper-" + t).start(() -> {
                    while (!stop.get()) {
                        long began = System.nanoTime();
                        try {
                            HttpGet.Response response = HttpGet.get(metrics);
                            if (response.status() != 200 || response.body().length == 0) {
                                errors.increment();
                                errorSamples.add("HTTP " + response.status());
                            }
                        } catch (IOException e) {
                            errors.increment();
                            if (errorSamples.size() < 10) {
                                errorSamples.add(e.toString());
                            }
                        }
                        worstNanos[index] = Math.max(worstNanos[index], System.nanoTime() - began);
                        requests.increment();
                    }
                }));
            }
            Thread.sleep(CONCURRENT_SECONDS * 1000);
            stop.set(true);
            for (Thread scraper : scrapers) {
                scraper.join();
            }
            long worst = 0;
            for (long w : worstNanos) {
                worst = Math.max(worst, w);
            }
            long afterLoadRss = rssKib(process.pid());
            Thread.sleep(SETTLE_MILLIS);
            long settledRss = rssKib(process.pid());
            assertThat(process.isAlive()).isTrue();

            String startedLine = log.lines().filter(l -> l.contains("started in")).findFirst().orElse("");
            String table = String.format(Locale.ROOT, """
                    Launcher: `./ebpf_exporter --config.names=timers,biolatency` (flags as in the launcher script)

                    | measure | value |
                    |---|---:|
                    | start to first successful scrape (process start to HTTP 200) | %d ms |
                    | CPU used by the process until then | %d ms |
                    | RSS idle, %d s after startup | %.1f MiB |
                    | idle CPU over %d s (%% of one core) | %.2f%% |
                    | 100 sequential scrapes: wall / CPU per scrape (default examples + JVM metrics) | %.2f / %.2f ms |
                    | 100 requests for a 404: CPU per request | %.2f ms |
                    | RSS after 100 sequential scrapes (+%d s) | %.1f MiB |
                    | %d concurrent scrapers for %d s: requests | %d (%.0f/s) |
                    | %d concurrent scrapers for %d s: errors | %d |
                    | slowest request under that load | %.0f ms |
                    | RSS right after the concurrent load | %.1f MiB |
                    | RSS %d s after the concurrent load | %.1f MiB |

                    Exporter's own log: `%s`
                    Errors seen: %s
                    Generated %s.
                    """, firstScrapeMillis, firstScrapeCpuMillis, SETTLE_MILLIS / 1000, idleRss / 1024.0, IDLE_SECONDS,
                    idleCpuPercent, scrapeWallMs, scrapeCpuMs, notFoundCpuMs, SETTLE_MILLIS / 1000,
                    after100Rss / 1024.0, SCRAPERS, CONCURRENT_SECONDS, requests.sum(),
                    requests.sum() / (double) CONCURRENT_SECONDS, SCRAPERS, CONCURRENT_SECONDS, errors.sum(),
                    worst / 1e6, afterLoadRss / 1024.0, SETTLE_MILLIS / 1000, settledRss / 1024.0, startedLine.strip(),
                    errorSamples.isEmpty() ? "none" : errorSamples.subList(0, Math.min(5, errorSamples.size())),
                    ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            Path out = BenchmarkOutput.dir().resolve("launcher.md");
            Files.writeString(out, table);
            System.out.println(table);
            assertThat(errors.sum()).as("errors under concurrent scrapes: %s", errorSamples).isZero();
        } finally {
            process.destroy(); // SIGTERM: the exporter detaches its programs
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static long rssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for pid " + pid);
    }

    /** User + system CPU of a process, from /proc (clock ticks of 10 ms). */
    private static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
    }

}
