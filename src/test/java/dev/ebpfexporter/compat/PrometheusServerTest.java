package dev.ebpfexporter.compat;

import com.sun.net.httpserver.HttpServer;
import dev.ebpfexporter.testing.InProcessExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Prometheus server (Debian's /usr/bin/prometheus) scrapes biolatency every second while the
 * test does direct block IO; the 90th percentile it computes from our histogram must be sane.
 */
class PrometheusServerTest {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final String QUERY =
            "histogram_quantile(0.9, sum by (le) (rate(ebpf_exporter_bio_latency_seconds_bucket[30s])))";
    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]");

    @Test
    void prometheusComputesAQuantileFromTheBioLatencyHistogram(@TempDir Path dir) throws Exception {
        dev.ebpfexporter.testing.TestTools.require("prometheus", "prometheus");
        try (InProcessExporter exporter = InProcessExporter.examples("biolatency")) {
            assertThat(exporter.failures()).isEmpty();
            HttpServer metrics = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            metrics.createContext("/metrics", exchange -> {
                byte[] body = exporter.scrapeText().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            metrics.start();
            int port = freePort();
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: ebpf
                        static_configs:
                          - targets: ["127.0.0.1:%d"]
                    """.formatted(metrics.getAddress().getPort()));
            Process prometheus = new ProcessBuilder(PROMETHEUS.toString(),
                    "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                URI query = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                        + URLEncoder.encode(QUERY, StandardCharsets.UTF_8));
                Double quantile = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (quantile == null && System.nanoTime() < deadline) {
                    blockIo(dir);
                    Thread.sleep(500);
                    quantile = quantile(query);
                }
                assertThat(quantile).as("90th percentile of block IO latency (prometheus log: %s)",
                        dir.resolve("prometheus.log")).isNotNull().isPositive().isLessThan(10.0);
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                metrics.stop(0);
            }
        }
    }

    private static Double quantile(URI query) {
        try {
            var connection = (java.net.HttpURLConnection) query.toURL().openConnection();
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(5000);
            int status = connection.getResponseCode();
            String body;
            try (var in = connection.getInputStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Matcher matcher = VALUE.matcher(body);
            if (status != 200 || !matcher.find()) {
                return null;
            }
            double value = Double.parseDouble(matcher.group(1));
            return Double.isFinite(value) && value > 0 ? value : null;
        } catch (IOException | NumberFormatException notYet) {
            return null; // not up yet, or no data yet
        }
    }

    /** Writes that bypass the page cache, so each one is a block IO. */
    private static void blockIo(Path dir) throws IOException, InterruptedException {
        Process dd = new ProcessBuilder("dd", "if=/dev/zero", "of=" + dir.resolve("io.bin"), "bs=4k", "count=256",
                "oflag=direct").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        dd.waitFor(30, TimeUnit.SECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
