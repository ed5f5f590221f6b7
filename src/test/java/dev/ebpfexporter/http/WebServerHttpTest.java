package dev.ebpfexporter.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Content negotiation, gzip, health paths, and a server that survives hostile clients. */
class WebServerHttpTest {
    private static WebServer server;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(WebConfig.NONE, TestServers.shortIdle(), Optional.empty());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertServing() throws Exception {
        assertThat(get("/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void negotiatesTextOpenMetricsAndProtobufByAccept() throws Exception {
        HttpResponse<byte[]> text = get("/metrics");
        assertThat(text.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(new String(text.body(), StandardCharsets.UTF_8)).contains("# TYPE test_events_total counter");

        HttpResponse<byte[]> openMetrics = get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
        assertThat(openMetrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/openmetrics-text; version=1.0.0"));
        assertThat(new String(openMetrics.body(), StandardCharsets.UTF_8)).endsWith("# EOF\n");

        HttpResponse<byte[]> protobuf = get("/metrics", "Accept",
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");
        assertThat(protobuf.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/vnd.google.protobuf").contains("proto=io.prometheus.client.MetricFamily"));
        assertThat(protobuf.body()).isNotEmpty();
    }

    @Test
    void gzipsWhenAsked() throws Exception {
        HttpResponse<byte[]> response = get("/metrics", "Accept-Encoding", "gzip");
        assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("test_events_total");
        }
    }

    @Test
    void healthReadyLandingAndNotFound() throws Exception {
        assertThat(get("/-/healthy").statusCode()).isEqualTo(200);
        assertThat(get("/-/ready").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> landing = get("/");
        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(landing.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        assertThat(get("/metrics/extra").statusCode()).isEqualTo(404);
        assertThat(get("/maps").statusCode()).as("no /maps without --debug").isEqualTo(404);
    }

    @Test
    void pathTraversalIsRefusedCleanly() throws Exception {
        for (String path : List.of("/maps/../../etc/passwd", "/maps?config=../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                "/maps/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/..%2f..%2fetc/passwd")) {
            String response = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(response).as(path).matches("(?s)HTTP/1.1 (400|404) .*").doesNotContain("root:");
        }
        assertServing();
    }

    @Test
    void hugeHeadersGetA431AndTheServerStaysUp() throws Exception {
        String big = "x".repeat(64 * 1024);
        String response = raw("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 431");
        assertServing();
    }

    @Test
    void aTenMegabyteBodyIsNotReadIntoMemoryAndTheServerStaysUp() throws Exception {
        byte[] body = new byte[10 * 1024 * 1024];
        HttpResponse<String> response;
        try {
            response = CLIENT.send(HttpRequest.newBuilder(URI.create(url("/metrics")))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isLessThan(500);
        } catch (IOException closed) {
            // closing the connection on an unread body is a clean outcome too
        }
        assertServing();
    }

    @Test
    void aHalfSentRequestIsCutOffAfterTheIdleTimeout() throws Exception {
        try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            slow.setSoTimeout(10_000);
            OutputStream out = slow.getOutputStream();
            out.write("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // Other clients are served while it hangs.
            assertServing();
            long started = System.nanoTime();
            int read;
            try {
                InputStream in = slow.getInputStream();
                byte[] buffer = new byte[4096];
                do {
                    read = in.read(buffer);
                } while (read > 0);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("server kept a half request open for 10 s", e);
            } catch (IOException reset) {
                read = -1;
            }
            assertThat(read).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
        }
        assertServing();
    }

    @Test
    void fiftyConcurrentScrapesAllSucceed() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                results.add(pool.submit(() -> get("/metrics", "Accept-Encoding", i(0) ? "gzip" : "identity").statusCode()));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(200);
            }
        }
    }

    private static boolean i(int unused) {
        return Thread.currentThread().threadId() % 2 == 0;
    }

    /** Sends {@code request} verbatim and returns what comes back until the server closes. */
    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
