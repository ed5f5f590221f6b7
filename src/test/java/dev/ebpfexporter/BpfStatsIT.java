package dev.ebpfexporter;

import dev.ebpfexporter.testing.Scrapes;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --bpf.stats} on the launched exporter. {@code kernel.bpf_stats_enabled} is machine-wide and
 * other processes (other tests included) may switch it at any time, so these tests assert what our
 * process did: whether it holds the descriptor {@code BPF_ENABLE_STATS} returns (an {@code anon_inode:bpf-stats}
 * link under {@code /proc/<pid>/fd}), what its start-up log says, and what it serves.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BpfStatsIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void byDefaultTheExporterNeverTurnsTheStatisticsOn() throws Exception {
        try (Launched exporter = Launched.start()) {
            assertThat(exporter.log()).contains("kernel BPF run time statistics: off (--bpf.stats=off)");
            for (int i = 0; i < 20; i++) {
                assertThat(exporter.holdsStatsDescriptor()).as("a bpf-stats descriptor held by the exporter").isFalse();
                Thread.sleep(100);
            }
            // The run metrics are still served, with whatever the kernel counts (others may have the sysctl on).
            assertThat(exporter.scrape().named("ebpf_exporter_ebpf_program_run_count_total")).hasSize(3);
        }
    }

    @Test
    void onHoldsTheStatisticsOnForTheWholeRun() throws Exception {
        try (Launched exporter = Launched.start("--bpf.stats=on")) {
            assertThat(exporter.log()).contains("kernel BPF run time statistics: on for the whole run (--bpf.stats=on)");
            assertThat(exporter.holdsStatsDescriptor()).isTrue();
            Thread.sleep(1000);
            assertThat(exporter.holdsStatsDescriptor()).isTrue();
            // The timers example's program runs many times a second; with the statistics on, the kernel counts it.
            Samples samples = exporter.scrape();
            String timers = samples.named("ebpf_exporter_ebpf_program_info", s -> s.label("config").equals("timers"))
                    .getFirst().label("id");
            assertThat(samples.value("ebpf_exporter_ebpf_program_run_count_total", "id", timers)).isPositive();
        }
    }

    @Test
    void sampledMeasuresAWindowAtStartAndExportsItAsSuch() throws Exception {
        try (Launched exporter = Launched.start("--bpf.stats=sampled")) {
            assertThat(exporter.log()).contains(
                    "kernel BPF run time statistics: sampled (--bpf.stats=sampled): on for 1s every 60s");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Samples samples = exporter.scrape();
            while (samples.named("ebpf_exporter_ebpf_program_sampled_runs_per_second").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                samples = exporter.scrape();
            }
            List<String> ids = samples.named("ebpf_exporter_ebpf_program_info").stream().map(s -> s.label("id")).toList();
            assertThat(samples.named("ebpf_exporter_ebpf_program_sampled_runs_per_second"))
                    .extracting(s -> s.label("id")).containsExactlyInAnyOrderElementsOf(ids);
            String timers = samples.named("ebpf_exporter_ebpf_program_info", s -> s.label("config").equals("timers"))
                    .getFirst().label("id");
            assertThat(samples.value("ebpf_exporter_ebpf_program_sampled_runs_per_second", "id", timers)).isPositive();
            assertThat(samples.value("ebpf_exporter_ebpf_program_sampled_run_seconds", "id", timers))
                    .isPositive().isLessThan(1e-3);
            // The window closed: the descriptor is not held between windows.
            assertThat(exporter.holdsStatsDescriptor()).isFalse();
        }
    }

    /** The launcher on the default examples, serving on a free port; closing stops it with SIGTERM. */
    private record Launched(Process process, int port, Path logFile) implements AutoCloseable {
        static Launched start(String... flags) throws Exception {
            BpfAvailability.require();
            Path root = BpfAvailability.projectRoot();
            int port = Ports.free();
            Path log = Files.createTempFile("bpf-stats", ".log");
            List<String> command = Stream.concat(Stream.of(root.resolve("ebpf_exporter").toString(),
                    "--config.dir=examples", "--config.names=timers,biolatency", "--web.listen-address=127.0.0.1:" + port),
                    Stream.of(flags)).toList();
            Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            Launched launched = new Launched(process, port, log);
            try {
                Scrapes.firstMetrics(URI.create("http://127.0.0.1:" + port + "/metrics"), process::isAlive, log,
                        Duration.ofSeconds(90));
                return launched;
            } catch (Exception | AssertionError e) {
                launched.close();
                throw e;
            }
        }

        String log() throws IOException {
            return Files.readString(logFile);
        }

        Samples scrape() throws IOException, InterruptedException {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return Samples.parse(response.body());
        }

        /** Whether the process holds the descriptor BPF_ENABLE_STATS returns. */
        boolean holdsStatsDescriptor() throws IOException {
            Predicate<Path> statsLink = fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals("anon_inode:bpf-stats");
                } catch (IOException closedMeanwhile) {
                    return false;
                }
            };
            try (Stream<Path> fds = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
                return fds.anyMatch(statsLink);
            }
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(logFile);
        }
    }
}
