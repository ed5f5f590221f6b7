package dev.ebpfexporter.compat;

import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.BpfFs;
import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.Scrapes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Prometheus sees of a restart: two launched exporters count the same events, one with
 * {@code --bpf.pin-path}, one without; both are stopped and started again while a real Prometheus
 * scrapes them every second. {@code resets()} over the whole time finds no reset of the pinned
 * exporter's counter and histogram, and the reset of the other's.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PinnedRestartPrometheusIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration FIRST_RUN = Duration.ofSeconds(30);

    @Test
    void prometheusSeesNoResetAcrossARestartWithPins(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        Path configs = dir.resolve("configs");
        java.nio.file.Files.createDirectories(configs);
        TestPrograms.config(configs, "pinned", "pinned", TestPrograms.switches("pinned", "Scheduler switches"));
        TestPrograms.config(configs, "a", "reload_a", TestPrograms.switches("reload_a", "Scheduler switches"));
        try (BpfFs fs = BpfFs.mount()) {
            int pinnedPort = Ports.free();
            int plainPort = Ports.free();
            Map<String, List<String>> exporters = new LinkedHashMap<>();
            exporters.put("pinned", List.of("--config.dir=" + configs, "--config.names=pinned",
                    "--bpf.pin-path=" + fs.root().resolve("ebpf_exporter"), "--web.listen-address=127.0.0.1:" + pinnedPort));
            exporters.put("plain", List.of("--config.dir=" + configs, "--config.names=a",
                    "--web.listen-address=127.0.0.1:" + plainPort));
            try (PrometheusServer prometheus = PrometheusServer.start(dir.resolve("prometheus"),
                    Map.of("pinned", pinnedPort, "plain", plainPort), false)) {
                for (int run = 1; run <= 2; run++) {
                    List<Process> running = new ArrayList<>();
                    try {
                        for (Map.Entry<String, List<String>> exporter : exporters.entrySet()) {
                            running.add(launch(dir.resolve(exporter.getKey() + "-" + run + ".log"), exporter.getValue(),
                                    exporter.getKey().equals("pinned") ? pinnedPort : plainPort));
                        }
                        // At least three samples of this run of both in Prometheus.
                        String samples = "count_over_time(ebpf_exporter_%s_switches_total[10m])";
                        int atLeast = run == 1 ? 3 : samplesBefore(prometheus) + 3;
                        assertThat(prometheus.awaitQuery(samples.formatted("pinned") + " >= " + atLeast
                                + " and on() count_over_time(ebpf_exporter_reload_a_switches_total[10m]) >= " + atLeast,
                                r -> !r.isEmpty(), START)).as("Prometheus has scraped run %d", run).isNotEmpty();
                        if (run == 1) {
                            // Switches never stop: the unpinned counter's fresh start must stay below where the
                            // first run left it for Prometheus to see its reset, so the first run counts much
                            // longer than the second one's start-up before its first scrape takes.
                            Thread.sleep(FIRST_RUN.toMillis());
                        }
                    } finally {
                        for (Process process : running) {
                            process.destroy(); // SIGTERM
                            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                        }
                    }
                }
                double pinnedResets = single(prometheus, "resets(ebpf_exporter_pinned_switches_total[10m])");
                double pinnedHistogramResets = single(prometheus, "resets(ebpf_exporter_pinned_switch_gap_seconds_count[10m])");
                double plainResets = single(prometheus, "resets(ebpf_exporter_reload_a_switches_total[10m])");
                System.out.printf("PinnedRestartPrometheusIT: resets() across the restart: %.0f with --bpf.pin-path"
                        + " (histogram count %.0f), %.0f without%n", pinnedResets, pinnedHistogramResets, plainResets);
                assertThat(pinnedResets).as("no counter reset with pinned maps").isZero();
                assertThat(pinnedHistogramResets).as("no histogram reset with pinned maps").isZero();
                assertThat(plainResets).as("the same restart without pins resets the counter").isEqualTo(1);
            }
        }
    }

    private static int samplesBefore(PrometheusServer prometheus) {
        return (int) single(prometheus, "count_over_time(ebpf_exporter_pinned_switches_total[10m])");
    }

    private static double single(PrometheusServer prometheus, String promql) {
        List<PrometheusServer.Element> result = prometheus.query(promql);
        assertThat(result).as(promql).hasSize(1);
        return result.getFirst().number();
    }

    private static Process launch(Path log, List<String> args, int port) throws Exception {
        Path root = BpfAvailability.projectRoot();
        List<String> command = new ArrayList<>();
        command.add(root.resolve("ebpf_exporter").toString());
        command.addAll(args);
        Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Scrapes.firstMetrics(URI.create("http://127.0.0.1:" + port + "/metrics"), process::isAlive, log, START);
        return process;
    }
}
