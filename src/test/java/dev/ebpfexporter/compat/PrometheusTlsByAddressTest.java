package dev.ebpfexporter.compat;

import dev.ebpfexporter.http.WebConfig;
import dev.ebpfexporter.http.WebServer;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.TestTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Prometheus (Debian's /usr/bin/prometheus) scrapes the exporter over TLS by its address, as it
 * scrapes pods and nodes, while the certificate names only {@code localhost}: once checking the
 * certificate against {@code tls_config.server_name}, once with {@code insecure_skip_verify}.
 */
@Timeout(180)
class PrometheusTlsByAddressTest {
    @Test
    void prometheusScrapesByAddressOverTls(@TempDir Path dir) throws Exception {
        TestTools.require("prometheus", "prometheus");
        TestTools.require("openssl", "openssl");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String opensslOutput = new String(openssl.getInputStream().readAllBytes());
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0).as(opensslOutput).isTrue();
        Files.writeString(dir.resolve("web.yml"), "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n");
        Path cert = dir.resolve("cert.pem");
        try (InProcessExporter exporter = InProcessExporter.examples("timers");
             WebServer metrics = exporter.serve(WebConfig.load(dir.resolve("web.yml")))) {
            String target = "127.0.0.1:" + metrics.port();
            String jobs = """
                      - job_name: server_name
                        scheme: https
                        tls_config:
                          ca_file: %s
                          server_name: localhost
                        static_configs:
                          - targets: ["%s"]
                      - job_name: skip_verify
                        scheme: https
                        tls_config:
                          insecure_skip_verify: true
                        static_configs:
                          - targets: ["%s"]
                    """.formatted(cert, target, target);
            try (PrometheusServer prometheus = PrometheusServer.start(dir.resolve("prometheus"), jobs, false)) {
                List<PrometheusServer.Element> up = prometheus.awaitQuery("up", result -> upByJob(result).size() == 2
                        && upByJob(result).values().stream().allMatch("1"::equals), Duration.ofSeconds(90));
                assertThat(upByJob(up)).as("up by job (prometheus log: %s)", prometheus.log())
                        .isEqualTo(Map.of("server_name", "1", "skip_verify", "1"));
                List<PrometheusServer.Element> enabled = prometheus.awaitQuery(
                        "ebpf_exporter_enabled_configs{name=\"timers\"}", result -> result.size() == 2, Duration.ofSeconds(30));
                assertThat(enabled).hasSize(2).allSatisfy(element -> assertThat(element.value()).isEqualTo("1"));
            }
        }
    }

    private static Map<String, String> upByJob(List<PrometheusServer.Element> result) {
        Map<String, String> byJob = new TreeMap<>();
        result.forEach(element -> byJob.put(element.labels().get("job"), element.value()));
        return byJob;
    }
}
