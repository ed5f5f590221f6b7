package dev.ebpfexporter.compat;

import dev.ebpfexporter.testing.Scrapes;
import dev.ebpfexporter.bpf.BpfMaps;
import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.ebpfexporter.compat.TestPrograms.put;
import static dev.ebpfexporter.compat.TestPrograms.u32s;
import static dev.ebpfexporter.compat.TestPrograms.u64s;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher as users run it, twice: by default and with {@code --no-metrics.native-histograms},
 * both scraped by one Prometheus 2.42 with {@code --enable-feature=native-histograms}. The test
 * fills each exporter's map by its kernel id. The default one's exp2 histogram is stored as a
 * native histogram, the other's as classic buckets, and both answer the same quantile at a bound.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class NativeHistogramLauncherIT {
    private static final String YAML = """
            metrics:
              histograms:
                - name: exp2_seconds
                  help: exp2 buckets of 2^-20 s
                  bucket_type: exp2
                  bucket_min: 0
                  bucket_max: 26
                  bucket_multiplier: 9.5367431640625e-07
                  labels: [{name: op, size: 4, decoders: [{name: uint}]}, {name: bucket, size: 4, decoders: [{name: uint}]}]
            """;

    @Test
    void theFlagDecidesWhatANativeHistogramPrometheusStores(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        TestPrograms.config(dir, "native", "maps", YAML);
        List<Process> exporters = new ArrayList<>();
        try (PrometheusServer prometheus = startBoth(dir, exporters)) {
            for (String job : List.of("default", "flag_off")) {
                assertThat(prometheus.awaitQuery("up{job=\"" + job + "\"} == 1", r -> r.size() == 1, Duration.ofSeconds(90)))
                        .as("%s scraped (log %s:\n%s)", job, prometheus.log(), prometheus.logTail()).hasSize(1);
            }
            assertThat(prometheus.query("ebpf_exporter_exp2_seconds{job=\"default\"}")).singleElement()
                    .satisfies(e -> assertThat(e.isHistogram()).isTrue())
                    .satisfies(e -> assertThat(e.histogramCount()).isEqualTo("8"));
            assertThat(prometheus.query("ebpf_exporter_exp2_seconds_bucket{job=\"default\"}")).isEmpty();
            assertThat(prometheus.query("ebpf_exporter_exp2_seconds{job=\"flag_off\"}")).isEmpty();
            assertThat(prometheus.query("ebpf_exporter_exp2_seconds_bucket{job=\"flag_off\"}")).hasSize(28)
                    .noneMatch(PrometheusServer.Element::isHistogram);
            // 2 of 8 observations are in bucket 3 (le 2^-17), the rest in bucket 9 (le 2^-11).
            assertThat(prometheus.query("histogram_quantile(0.25, ebpf_exporter_exp2_seconds{job=\"default\"})"))
                    .singleElement().satisfies(e -> assertThat(e.number()).isEqualTo(0x1p-17));
            assertThat(prometheus.query("histogram_quantile(0.25, ebpf_exporter_exp2_seconds_bucket{job=\"flag_off\"})"))
                    .singleElement().satisfies(e -> assertThat(e.number()).isEqualTo(0x1p-17));
        } finally {
            for (Process exporter : exporters) {
                exporter.destroy();
                if (!exporter.waitFor(20, TimeUnit.SECONDS)) {
                    exporter.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static PrometheusServer startBoth(Path dir, List<Process> exporters) throws Exception {
        Map<String, Integer> jobs = new LinkedHashMap<>();
        jobs.put("default", launch(dir, List.of(), exporters));
        jobs.put("flag_off", launch(dir, List.of("--no-metrics.native-histograms"), exporters));
        for (Process exporter : exporters) {
            try (BpfMaps.Owned map = BpfMaps.openHeldBy(exporter.pid(), "exp2_seconds")) {
                put(map.map(), u32s(1, 3), u64s(2));
                put(map.map(), u32s(1, 9), u64s(6));
                put(map.map(), u32s(1, 27), u64s(3000)); // the sum, in units of the multiplier
            }
        }
        return PrometheusServer.start(dir.resolve("prometheus"), jobs, true);
    }

    /** Starts {@code ./ebpf_exporter} on the config and waits until it serves; returns its port. */
    private static int launch(Path dir, List<String> flags, List<Process> exporters) throws Exception {
        Path root = BpfAvailability.projectRoot();
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(root.resolve("ebpf_exporter").toString(),
                "--config.dir=" + dir, "--config.names=native", "--web.listen-address=127.0.0.1:" + port));
        command.addAll(flags);
        Path log = dir.resolve("exporter-" + port + ".log");
        Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        exporters.add(process);
        Scrapes.firstMetrics(URI.create("http://127.0.0.1:" + port + "/metrics"), process::isAlive, log,
                Duration.ofSeconds(60));
        return port;
    }
}
