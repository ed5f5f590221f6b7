package dev.ebpfexporter.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import dev.ebpfexporter.exposition.CachedRegistry;
import dev.ebpfexporter.exposition.Exposition;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** In-process web servers over a small registry, and self-signed certificates made with openssl. */
final class TestServers {
    private TestServers() {
    }

    static PrometheusRegistry registry() {
        PrometheusRegistry registry = new PrometheusRegistry();
        Counter counter = Counter.builder().name("test_events_total").help("events").labelNames("kind").register(registry);
        counter.labelValues("a").inc(3);
        Histogram histogram = Histogram.builder().name("test_latency_seconds").help("latency").register(registry);
        histogram.observe(0.002);
        return registry;
    }

    /** The registry's metrics served through our writer (client_java's snapshots adapted). */
    static MetricsEndpoint endpoint() {
        CachedRegistry cached = new CachedRegistry(registry(), Duration.ZERO);
        return new MetricsEndpoint(new Exposition(() -> List.of(cached.part("test"))));
    }

    static WebServer start(WebConfig web) throws Exception {
        return start(web, WebServer.Limits.DEFAULT, Optional.empty());
    }

    static WebServer start(WebConfig web, WebServer.Limits limits, Optional<MapsJson> maps) throws Exception {
        WebServer.Endpoints endpoints = new WebServer.Endpoints("/metrics", endpoint(), () -> "<html>landing</html>",
                List::of, maps);
        return WebServer.start(new InetSocketAddress("127.0.0.1", 0), web, endpoints, limits);
    }

    static WebServer.Limits shortIdle() {
        return new WebServer.Limits(Duration.ofSeconds(1), 16 * 1024, 16, 256, Duration.ofSeconds(10));
    }

    /** Runs openssl with {@code args} in {@code dir}; fails the test on a non-zero exit. */
    static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        dev.ebpfexporter.testing.TestTools.require("openssl", "openssl");
        List<String> command = new java.util.ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + output);
        }
    }

    /**
     * A self-signed EC certificate whose only name is {@code subjectAltName} (e.g. {@code DNS:localhost}),
     * with its key, as cert.pem and key.pem in {@code dir}.
     */
    static void selfSignedFor(Path dir, String subjectAltName) throws IOException, InterruptedException {
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                "key.pem", "-out", "cert.pem", "-days", "2", "-subj", "/CN=" + subjectAltName.replaceFirst("^[A-Z]+:", ""),
                "-addext", "subjectAltName=" + subjectAltName);
    }

    /** A self-signed certificate for localhost/127.0.0.1 with its key, as cert.pem and key.pem in {@code dir}. */
    static void selfSigned(Path dir, String keyKind) throws IOException, InterruptedException {
        switch (keyKind) {
            case "ec-pkcs8" -> openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
            case "rsa-pkcs1" -> {
                openssl(dir, "genrsa", "-traditional", "-out", "key.pem", "2048");
                openssl(dir, "req", "-x509", "-key", "key.pem", "-out", "cert.pem", "-days", "2", "-subj",
                        "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
            }
            case "ec-sec1" -> {
                openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", "key.pem");
                openssl(dir, "req", "-x509", "-key", "key.pem", "-out", "cert.pem", "-days", "2", "-subj",
                        "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
            }
            default -> throw new IllegalArgumentException(keyKind);
        }
        if (!Files.exists(dir.resolve("cert.pem"))) {
            throw new IllegalStateException("no certificate written");
        }
    }
}
