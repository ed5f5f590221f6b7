package dev.ebpfexporter.cli;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No request gets a 5xx: the launched exporter (basic auth, {@code --debug} for {@code /maps}, the live
 * view) is sent a generated set of malformed requests over real sockets: every variant of each part of a
 * request (method, path, query, headers, credentials, protocol version and line endings) on its own in an
 * otherwise good, authenticated scrape, then seeded random combinations of several. Every answer must be
 * 2xx or 4xx; a request the server cannot finish reading (cut off) may also be closed without one.
 */
class MalformedRequestsIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final String USER = "prometheus";
    private static final String PASSWORD = "scrape-secret";

    /** One generated request: its parts, each either the good value or one variant. */
    private record Parts(String method, String target, String version, String eol, List<String> headers,
                         String authorization, byte[] body) {
        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String line = method + " " + target + (version.isEmpty() ? "" : " " + version) + eol;
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            for (String header : headers) {
                out.writeBytes((header + eol).getBytes(StandardCharsets.UTF_8));
            }
            if (authorization != null) {
                out.writeBytes(("Authorization: " + authorization + eol).getBytes(StandardCharsets.UTF_8));
            }
            out.writeBytes(("Connection: close" + eol + eol).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(body);
            return out.toByteArray();
        }

        String describe() {
            String text = new String(bytes(), StandardCharsets.UTF_8).replace("\r", "\\r").replace("\n", "\\n");
            return text.length() > 300 ? text.substring(0, 300) + "..." : text;
        }
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE",
            "CONNECT", "PATCH", "PRI", "get", "G\u0000T", "GET\u00e9", "X".repeat(300), "M-SEARCH");
    private static final List<String> PATHS = List.of("/metrics", "/", "/maps", "/-/healthy", "/-/ready", "/view/data",
            "/view/view.js", "/nope", "//metrics", "/metrics/", "/%zz", "/%", "/%00", "/..%2f..%2fetc/passwd",
            "/../../etc/passwd", "/metrics;x=1", "/%c0%ae%c0%ae/", "*", "http://127.0.0.1/metrics", "metrics",
            "/" + "a".repeat(8000), "/\u00fc\u202e", "/%ff%fe", "/metrics#frag", "/metrics%3Fname[]=x", "/ /metrics");
    private static final List<String> QUERIES = List.of("", "?", "?name[]=%zz", "?%", "?%4", "?name[]=%4",
            "?name[]=a&name[]=", "?config=%zz", "?config=nope", "?config=timers", "?since=-1", "?top=abc",
            "?top=99999999999999999999", "?filter=%ff%fe", "?&&&", "?=", "?a=b=c", "?name[]=+", "?name%5B%5D=x",
            "?" + "n=1&".repeat(2000), "?name[]=\u0000", "?since=1&since=2&top=1", "?%e2%80%ae", "?filter=" + "x".repeat(4000));
    private static final List<String> HEADERS = List.of("Accept: garbage", "Accept: */*;q=abc", "Accept: */*;q=-1",
            "Accept: application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited",
            "Accept: application/openmetrics-text;version=9.9.9", "Accept: text/plain;version=0.0.4;escaping=allow-utf-8",
            "Accept: " + ",".repeat(2000), "Accept-Encoding: gzip;q=x", "Accept-Encoding: gzip, deflate, br, zstd",
            "Accept-Encoding: ,", "Accept-Encoding: identity;q=0, *;q=0", "Host: [::1", "Host: a b", "Host:",
            "Host: 127.0.0.1:99999", "Content-Length: -1", "Content-Length: abc", "Content-Length: 99999999999999999999",
            "Transfer-Encoding: chunked", "Transfer-Encoding: gzip, chunked", "no colon here", "Bad Name: x",
            " folded: continuation", "X-Nul: a\u0000b", "X-Del: \u007f", "X-Utf8: \u00e9\u202e",
            "X-Big: " + "b".repeat(20_000), "Expect: 100-continue", "Upgrade: h2c", "Connection: Upgrade, HTTP2-Settings",
            "Cookie: =;;;", "Range: bytes=9-1", "If-None-Match: *", "X-Forwarded-For: not-an-address");
    private static final List<String> CREDENTIALS = List.of("", "Basic", "Basic ", "Basic !!!", basic("no-colon"),
            basic(":"), basic(USER + ":"), basic(USER + ":" + "x".repeat(73)), basic(USER + ":" + "y".repeat(10_000)),
            basic("\u00fc\u202e:" + PASSWORD), basic(USER + ":" + PASSWORD + "\u0000"), "Bearer token",
            "basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)),
            "Basic " + Base64.getEncoder().encodeToString(new byte[]{(byte) 0xff, (byte) 0xfe, ':', (byte) 0x80}),
            "Basic " + "QQ".repeat(5000), "Basic =====", "Digest username=\"x\"");
    private static final List<String> VERSIONS = List.of("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "", "HTTP/9.9", "HTTP/1",
            "http/1.1", "HTTP/1.1 extra", "HTTP/01.1");
    private static final List<String> EOLS = List.of("\r\n", "\n", "\r", "\n\r");
    private static final List<byte[]> BODIES = List.of(new byte[0], "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            "zz\r\nabc\r\n".getBytes(StandardCharsets.US_ASCII), new byte[]{0, 1, 2, (byte) 0xff},
            "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII));

    private static Parts good() {
        return new Parts("GET", "/metrics", "HTTP/1.1", "\r\n", List.of("Host: 127.0.0.1"), basic(USER + ":" + PASSWORD),
                new byte[0]);
    }

    /** Every variant alone, then {@code combinations} requests with a variant in each of 2 to 5 random parts. */
    static Map<String, Parts> generate(int combinations, long seed) {
        Map<String, Parts> requests = new LinkedHashMap<>();
        Parts g = good();
        requests.put("good", g);
        for (String method : METHODS) {
            add(requests, new Parts(method, g.target(), g.version(), g.eol(), g.headers(), g.authorization(), g.body()));
        }
        for (String path : PATHS) {
            for (String query : List.of("", "?name[]=%zz")) {
                add(requests, new Parts(g.method(), path + query, g.version(), g.eol(), g.headers(), g.authorization(), g.body()));
            }
        }
        for (String path : List.of("/metrics", "/maps", "/view/data", "/")) {
            for (String query : QUERIES) {
                add(requests, new Parts(g.method(), path + query, g.version(), g.eol(), g.headers(), g.authorization(), g.body()));
            }
        }
        for (String header : HEADERS) {
            add(requests, new Parts(g.method(), g.target(), g.version(), g.eol(), List.of("Host: 127.0.0.1", header),
                    g.authorization(), g.body()));
        }
        add(requests, new Parts(g.method(), g.target(), g.version(), g.eol(), List.of(), g.authorization(), g.body()));
        add(requests, new Parts(g.method(), g.target(), g.version(), g.eol(), List.of("Host: a", "Host: b"),
                g.authorization(), g.body()));
        for (String credentials : CREDENTIALS) {
            add(requests, new Parts(g.method(), g.target(), g.version(), g.eol(), g.headers(),
                    credentials.isEmpty() ? null : credentials, g.body()));
        }
        for (String version : VERSIONS) {
            add(requests, new Parts(g.method(), g.target(), version, g.eol(), g.headers(), g.authorization(), g.body()));
        }
        for (String eol : EOLS) {
            add(requests, new Parts(g.method(), g.target(), g.version(), eol, g.headers(), g.authorization(), g.body()));
        }
        for (byte[] body : BODIES) {
            for (String method : List.of("GET", "POST")) {
                add(requests, new Parts(method, g.target(), g.version(), g.eol(),
                        List.of("Host: 127.0.0.1", "Content-Length: " + body.length), g.authorization(), body));
                add(requests, new Parts(method, g.target(), g.version(), g.eol(),
                        List.of("Host: 127.0.0.1", "Transfer-Encoding: chunked"), g.authorization(), body));
            }
        }
        Random random = new Random(seed);
        for (int i = 0; i < combinations; i++) {
            String method = g.method();
            String target = g.target();
            String version = g.version();
            String eol = g.eol();
            List<String> headers = new ArrayList<>(g.headers());
            String authorization = g.authorization();
            byte[] body = g.body();
            int parts = 2 + random.nextInt(4);
            for (int p = 0; p < parts; p++) {
                switch (random.nextInt(7)) {
                    case 0 -> method = pick(random, METHODS);
                    case 1 -> target = pick(random, PATHS) + pick(random, QUERIES);
                    case 2 -> headers.add(pick(random, HEADERS));
                    case 3 -> {
                        String credentials = pick(random, CREDENTIALS);
                        authorization = credentials.isEmpty() ? null : credentials;
                    }
                    case 4 -> version = pick(random, VERSIONS);
                    case 5 -> eol = pick(random, EOLS);
                    default -> body = pick(random, BODIES);
                }
            }
            add(requests, new Parts(method, target, version, eol, headers, authorization, body));
        }
        return requests;
    }

    private static <T> T pick(Random random, List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private static void add(Map<String, Parts> requests, Parts parts) {
        requests.putIfAbsent(parts.describe(), parts);
    }

    @Test
    @Timeout(600)
    void everyMalformedRequestGetsA2xxOr4xx(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(4, PASSWORD.toCharArray());
        Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  " + USER + ": " + hash + "\n");
        int port = Ports.free();
        Map<String, Parts> requests = generate(600, 22);
        try (Launcher launcher = Launcher.start("--config.dir=" + BpfAvailability.examples(), "--config.names=timers",
                "--web.listen-address=127.0.0.1:" + port, "--web.config.file=" + dir.resolve("web.yml"), "--debug")) {
            launcher.awaitLog("listening on", START);
            List<String> bad = new ArrayList<>();
            Map<Integer, Integer> statuses = new java.util.TreeMap<>();
            for (Parts parts : requests.values()) {
                RawHttp.Answer answer = RawHttp.send(port, parts.bytes());
                statuses.merge(answer.status(), 1, Integer::sum);
                boolean ok = answer.status() >= 200 && answer.status() < 300
                        || answer.status() >= 400 && answer.status() < 500
                        || answer.status() == -1 && answer.text().isEmpty();
                if (!ok) {
                    bad.add(answer.status() + " for " + parts.describe() + "\n  answer: "
                            + answer.text().lines().findFirst().orElse(""));
                }
            }
            System.out.printf("%d malformed requests, answers by status: %s%n", requests.size(), statuses);
            assertThat(bad).as("requests answered neither 2xx nor 4xx").isEmpty();
            assertThat(statuses.get(200)).as("good requests").isPositive();
            assertThat(RawHttp.get(port, "/-/healthy").status()).as("still serving").isEqualTo(401);
            // Each refusal reason once, in our words; Jetty's per-request warnings stay out of the log.
            assertThat(launcher.log()).doesNotContain("level=error").doesNotContain("Exception")
                    .doesNotContain("source=HttpParser").doesNotContain("source=HostPort")
                    .contains("source=Refusals msg=\"request from 127.0.0.1 refused: Bad Authority (answered 400) (logged once per reason)\"")
                    .contains("refused: HTTP/0.9 not supported (answered 400)");
            assertThat(launcher.logLines().stream().filter(line -> line.contains("Bad Authority"))).hasSize(1);
            assertThat(launcher.process.isAlive()).isTrue();
        }
    }
}
