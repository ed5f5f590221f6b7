package dev.ebpfexporter.http;

import dev.ebpfexporter.exposition.CachedRegistry;
import dev.ebpfexporter.exposition.Exposition;
import dev.ebpfexporter.exposition.Format;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class MetricsHandlerTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static WebServer start(int gzipLevel) throws Exception {
        CachedRegistry cached = new CachedRegistry(TestServers.registry(), Duration.ZERO);
        Exposition exposition = new Exposition(() -> List.of(cached.part("test")));
        WebServer.Endpoints endpoints = new WebServer.Endpoints("/metrics", new MetricsEndpoint(exposition, gzipLevel),
                () -> "", List::of, Optional.empty());
        return WebServer.start(new InetSocketAddress("127.0.0.1", 0), WebConfig.NONE, endpoints, WebServer.Limits.DEFAULT);
    }

    private static HttpResponse<byte[]> get(WebServer server, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void acceptPicksTheFormat() throws Exception {
        try (WebServer server = start(1)) {
            HttpResponse<byte[]> text = get(server, "/metrics");
            assertThat(text.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
            assertThat(new String(text.body(), StandardCharsets.UTF_8)).contains("test_events_total{kind=\"a\"} 3\n");
            assertThat(text.headers().firstValueAsLong("Content-Length")).hasValue(text.body().length);

            // What Prometheus sends with native histograms enabled: protobuf first.
            HttpResponse<byte[]> proto = get(server, "/metrics", "Accept", "application/vnd.google.protobuf;"
                    + "proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3,*/*;q=0.2");
            assertThat(proto.headers().firstValue("Content-Type")).contains(Format.PROTOBUF.contentType());
            List<String> names = new ArrayList<>();
            ByteArrayInputStream in = new ByteArrayInputStream(proto.body());
            Metrics.MetricFamily family;
            while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
                names.add(family.getName() + ":" + family.getType());
            }
            assertThat(names).contains("test_events_total:COUNTER", "test_latency_seconds:HISTOGRAM");

            // What Prometheus sends by default: OpenMetrics first.
            HttpResponse<byte[]> om = get(server, "/metrics", "Accept", "application/openmetrics-text;version=1.0.0,"
                    + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
            assertThat(om.headers().firstValue("Content-Type")).contains(Format.OPENMETRICS.contentType());
            assertThat(new String(om.body(), StandardCharsets.UTF_8)).contains("test_events_total{kind=\"a\"} 3.0\n").endsWith("# EOF\n");

            assertThat(get(server, "/metrics", "Accept", "application/json").headers().firstValue("Content-Type"))
                    .contains(Format.TEXT.contentType());
        }
    }

    @Test
    void gzipWhenAcceptedAtTheConfiguredLevel() throws Exception {
        for (int level : new int[]{1, 9}) {
            try (WebServer server = start(level)) {
                byte[] identity = get(server, "/metrics").body();
                HttpResponse<byte[]> gzipped = get(server, "/metrics", "Accept-Encoding", "gzip, deflate");
                assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
                assertThat(gunzip(gzipped.body())).isEqualTo(identity);
                assertThat(get(server, "/metrics", "Accept-Encoding", "gzip;q=0").headers().firstValue("Content-Encoding"))
                        .isEmpty();
            }
        }
        try (WebServer server = start(0)) {
            assertThat(get(server, "/metrics", "Accept-Encoding", "gzip").headers().firstValue("Content-Encoding"))
                    .as("level 0: never gzip").isEmpty();
        }
    }

    @Test
    void nameParametersSelectFamiliesAndHeadSendsNoBody() throws Exception {
        try (WebServer server = start(1)) {
            String body = new String(get(server, "/metrics?name[]=test_events").body(), StandardCharsets.UTF_8);
            assertThat(body).contains("test_events_total").doesNotContain("test_latency_seconds");
            HttpResponse<byte[]> head = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/metrics")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    void concurrentScrapesEachGetAWholeBody() throws Exception {
        try (WebServer server = start(1)) {
            byte[] expected = get(server, "/metrics").body();
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 8; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < 25; i++) {
                            assertThat(gunzip(get(server, "/metrics", "Accept-Encoding", "gzip").body())).isEqualTo(expected);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(failures).isEmpty();
        }
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }
}
