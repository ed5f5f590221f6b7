package dev.ebpfexporter.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.ebpfexporter.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebServerSecurityTest {
    @TempDir
    Path dir;

    private static final HttpClient PLAIN = HttpClient.newHttpClient();

    private static HttpClient trusting(Path certPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", TlsContexts.certificates(Files.readString(certPem), "test").getFirst());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** GET path from server over plain HTTP. */
    private static HttpResponse<String> get(WebServer server, String path, String... headers) throws Exception {
        return get(PLAIN, "http://127.0.0.1:" + server.port() + path, headers);
    }

    private static HttpResponse<String> get(HttpClient client, String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void servesMetricsOverTlsToAClientThatTrustsTheCertificate() throws Exception {
        TestServers.selfSigned(dir, "ec-pkcs8");
        Files.writeString(dir.resolve("web.yml"), "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n");
        try (WebServer server = TestServers.start(WebConfig.load(dir.resolve("web.yml")))) {
            HttpResponse<String> response = get(trusting(dir.resolve("cert.pem")),
                    "https://127.0.0.1:" + server.port() + "/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("test_events_total{kind=\"a\"} 3");
        }
    }

    @Test
    void plainHttpToTheTlsPortGetsGosAnswer() throws Exception {
        TestServers.selfSigned(dir, "rsa-pkcs1");
        Files.writeString(dir.resolve("web.yml"), "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n");
        try (WebServer server = TestServers.start(WebConfig.load(dir.resolve("web.yml")))) {
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> response = get(plain, "http://127.0.0.1:" + server.port() + "/metrics");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.body()).isEqualTo("Client sent an HTTP request to an HTTPS server.\n");
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
                assertThat(new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII))
                        .isEqualTo("HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n");
            }
            // Not HTTP and not TLS: closed without an answer.
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(new byte[]{1, 2, 3, 4, 5, 6});
                assertThat(socket.getInputStream().readAllBytes()).isEmpty();
            }
            // and still serves TLS afterwards
            assertThat(get(trusting(dir.resolve("cert.pem")), "https://127.0.0.1:" + server.port() + "/-/healthy")
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    void tls13OnlyRefusesATls12Client() throws Exception {
        TestServers.selfSigned(dir, "ec-sec1");
        Files.writeString(dir.resolve("web.yml"),
                "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  min_version: TLS13\n");
        try (WebServer server = TestServers.start(WebConfig.load(dir.resolve("web.yml")))) {
            HttpClient client = trusting(dir.resolve("cert.pem"));
            HttpClient tls12 = HttpClient.newBuilder().sslContext(client.sslContext())
                    .sslParameters(new javax.net.ssl.SSLParameters(null, new String[]{"TLSv1.2"})).build();
            assertThatThrownBy(() -> get(tls12, "https://127.0.0.1:" + server.port() + "/metrics"))
                    .isInstanceOf(IOException.class);
            assertThat(get(client, "https://127.0.0.1:" + server.port() + "/metrics").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void basicAuthChallengesRejectsAndAccepts() throws Exception {
        String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(4, "s3cret".toCharArray());
        WebConfig web = WebConfig.parse(dir.resolve("web.yml"), "basic_auth_users:\n  alice: " + hash + "\n");
        try (WebServer server = TestServers.start(web)) {
            HttpResponse<String> none = get(server, "/metrics");
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Basic");
            assertThat(get(server, "/metrics", "Authorization", basic("alice", "wrong")).statusCode()).isEqualTo(401);
            assertThat(get(server, "/metrics", "Authorization", basic("mallory", "s3cret")).statusCode()).isEqualTo(401);
            assertThat(get(server, "/metrics", "Authorization", "Basic !!!notbase64").statusCode()).isEqualTo(401);
            assertThat(get(server, "/metrics", "Authorization", basic("alice", "s3cret")).statusCode()).isEqualTo(200);
            // every path is behind auth, as with the toolkit
            assertThat(get(server, "/").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aPasswordLongerThanBcryptReadsIsRefusedNotAnError() throws Exception {
        String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(4, "s3cret".toCharArray());
        WebConfig web = WebConfig.parse(dir.resolve("web.yml"), "basic_auth_users:\n  alice: " + hash + "\n");
        try (WebServer server = TestServers.start(web)) {
            assertThat(get(server, "/metrics", "Authorization", basic("alice", "x".repeat(73))).statusCode()).isEqualTo(401);
            assertThat(get(server, "/metrics", "Authorization", basic("mallory", "é".repeat(40))).statusCode()).isEqualTo(401);
            assertThat(get(server, "/metrics", "Authorization", basic("alice", "s3cret")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aMalformedQueryIsABadRequestOnEveryPath() throws Exception {
        MapsJson maps = new MapsJson(new dev.ebpfexporter.collector.MapsView(java.util.List::of, (decoder, size) -> {
            throw new AssertionError("no decoders without configs");
        }));
        try (WebServer server = TestServers.start(WebConfig.NONE, WebServer.Limits.DEFAULT, java.util.Optional.of(maps))) {
            for (String path : new String[]{"/metrics?name[]=%zz", "/metrics?name[]=%4", "/maps?config=%zz", "/-/healthy?%"}) {
                RawHttp.Answer answer = RawHttp.get(server.port(), path);
                assertThat(answer.status()).as(path).isEqualTo(400);
                assertThat(answer.text()).as(path).contains("\r\n\r\n400 Bad Request: malformed query parameter ");
            }
            assertThat(get(server, "/metrics?name[]=test_events&name[]=%7a").body())
                    .contains("test_events_total{kind=\"a\"} 3").doesNotContain("test_latency");
        }
    }

    @Test
    void bcryptRunsOncePerCredentialWhileCached() {
        String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(4, "pw".toCharArray());
        long[] now = {0};
        BasicAuth auth = new BasicAuth(Map.of("bob", hash), () -> now[0]);
        for (int i = 0; i < 5; i++) {
            assertThat(auth.check(basic("bob", "pw"))).isTrue();
            assertThat(auth.check(basic("bob", "nope"))).isFalse();
        }
        assertThat(auth.bcryptRuns()).isEqualTo(2);
        // A failure is checked again once its entry expires; a success stays cached.
        now[0] += BasicAuth.FAILURE_CACHE_NANOS + 1;
        assertThat(auth.check(basic("bob", "pw"))).isTrue();
        assertThat(auth.bcryptRuns()).isEqualTo(2);
        assertThat(auth.check(basic("bob", "nope"))).isFalse();
        assertThat(auth.bcryptRuns()).isEqualTo(3);
    }

    @Test
    void configuredHeadersAndRateLimitApply() throws Exception {
        WebConfig web = WebConfig.parse(dir.resolve("web.yml"), """
                http_server_config:
                  headers:
                    X-Content-Type-Options: nosniff
                rate_limit:
                  interval: 1h
                  burst: 2
                """);
        try (WebServer server = TestServers.start(web)) {
            HttpResponse<String> first = get(server, "/-/healthy");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(get(server, "/-/healthy").statusCode()).isEqualTo(200);
            assertThat(get(server, "/-/healthy").statusCode()).isEqualTo(429);
        }
    }
}
