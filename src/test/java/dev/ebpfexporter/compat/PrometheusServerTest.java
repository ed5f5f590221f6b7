package dev.ebpfexporter.compat;

import dev.ebpfexporter.http.WebServer;
import dev.ebpfexporter.testing.InProcessExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Prometheus server (Debian's /usr/bin/prometheus) scrapes biolatency every second while the
 * test does direct block IO; the 90th percentile it computes from our histogram must be sane.
 */
class PrometheusServerTest {
    private static final String QUERY =
            "histogram_quantile(0.9, sum by (le) (rate(ebpf_exporter_bio_latency_seconds_bucket[30s])))";

    @Test
    void prometheusComputesAQuantileFromTheBioLatencyHistogram(@TempDir Path dir) throws Exception {
        dev.ebpfexporter.testing.TestTools.require("prometheus", "prometheus");
        try (InProcessExporter exporter = InProcessExporter.examples("biolatency");
             WebServer metrics = exporter.serve();
             PrometheusServer prometheus = PrometheusServer.start(dir, Map.of("ebpf", metrics.port()), false)) {
            assertThat(exporter.failures()).isEmpty();
            Double quantile = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (quantile == null && System.nanoTime() < deadline) {
                blockIo(dir);
                quantile = quantile(prometheus.query(QUERY));
                Thread.sleep(500);
            }
            assertThat(quantile).as("90th percentile of block IO latency (prometheus log: %s)", prometheus.log())
                    .isNotNull().isPositive().isLessThan(10.0);
        }
    }

    /** The query's one value when it is a positive number; null while there is no data yet. */
    private static Double quantile(List<PrometheusServer.Element> result) {
        if (result.size() != 1 || result.getFirst().value() == null) {
            return null;
        }
        try {
            double value = Double.parseDouble(result.getFirst().value());
            return Double.isFinite(value) && value > 0 ? value : null;
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    /** Writes that bypass the page cache, so each one is a block IO. */
    private static void blockIo(Path dir) throws IOException, InterruptedException {
        Process dd = new ProcessBuilder("dd", "if=/dev/zero", "of=" + dir.resolve("io.bin"), "bs=4k", "count=256",
                "oflag=direct").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        dd.waitFor(30, TimeUnit.SECONDS);
    }
}
