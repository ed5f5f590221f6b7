package dev.ebpfexporter.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Malformed HTTP requests for a server that uses basic auth as {@link #USER} / {@link #PASSWORD}: the
 * variants of each part of a request (method, path, query, headers, credentials, protocol version, line
 * endings, body), written byte for byte ({@link RawHttp}). Used by {@code MalformedRequestsIT} (every variant
 * alone, then seeded combinations) and {@code HttpRequestFuzzTest} (jqwik).
 */
public final class MalformedRequests {
    public static final String USER = "prometheus";
    public static final String PASSWORD = "scrape-secret";

    private MalformedRequests() {
    }

    /** One generated request: its parts, each either the good value or one variant. */
    public record Parts(String method, String target, String version, String eol, List<String> headers,
                         String authorization, byte[] body) {
        public byte[] bytes() {
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

        public String describe() {
            String text = new String(bytes(), StandardCharsets.UTF_8).replace("\r", "\\r").replace("\n", "\\n");
            return text.length() > 300 ? text.substring(0, 300) + "..." : text;
        }
    }

    /** What every request must get: 2xx or 4xx, or (a request cut off mid-way) a close without a word. */
    public static boolean acceptable(RawHttp.Answer answer) {
        return answer.status() >= 200 && answer.status() < 300 || answer.status() >= 400 && answer.status() < 500
                || answer.status() == -1 && answer.text().isEmpty();
    }

    static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    public static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE",
            "CONNECT", "PATCH", "PRI", "get", "G\u0000T", "GET\u00e9", "X".repeat(300), "M-SEARCH");
    public static final List<String> PATHS = List.of("/metrics", "/", "/maps", "/-/healthy", "/-/ready", "/view/data",
            "/view/view.js", "/nope", "//metrics", "/metrics/", "/%zz", "/%", "/%00", "/..%2f..%2fetc/passwd",
            "/../../etc/passwd", "/metrics;x=1", "/%c0%ae%c0%ae/", "*", "http://127.0.0.1/metrics", "metrics",
            "/" + "a".repeat(8000), "/\u00fc\u202e", "/%ff%fe", "/metrics#frag", "/metrics%3Fname[]=x", "/ /metrics");
    public static final List<String> QUERIES = List.of("", "?", "?name[]=%zz", "?%", "?%4", "?name[]=%4",
            "?name[]=a&name[]=", "?config=%zz", "?config=nope", "?config=timers", "?since=-1", "?top=abc",
            "?top=99999999999999999999", "?filter=%ff%fe", "?&&&", "?=", "?a=b=c", "?name[]=+", "?name%5B%5D=x",
            "?" + "n=1&".repeat(2000), "?name[]=\u0000", "?since=1&since=2&top=1", "?%e2%80%ae", "?filter=" + "x".repeat(4000));
    public static final List<String> HEADERS = List.of("Accept: garbage", "Accept: */*;q=abc", "Accept: */*;q=-1",
            "Accept: application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited",
            "Accept: application/openmetrics-text;version=9.9.9", "Accept: text/plain;version=0.0.4;escaping=allow-utf-8",
            "Accept: " + ",".repeat(2000), "Accept-Encoding: gzip;q=x", "Accept-Encoding: gzip, deflate, br, zstd",
            "Accept-Encoding: ,", "Accept-Encoding: identity;q=0, *;q=0", "Host: [::1", "Host: a b", "Host:",
            "Host: 127.0.0.1:99999", "Content-Length: -1", "Content-Length: abc", "Content-Length: 99999999999999999999",
            "Transfer-Encoding: chunked", "Transfer-Encoding: gzip, chunked", "no colon here", "Bad Name: x",
            " folded: continuation", "X-Nul: a\u0000b", "X-Del: \u007f", "X-Utf8: \u00e9\u202e",
            "X-Big: " + "b".repeat(20_000), "Expect: 100-continue", "Upgrade: h2c", "Connection: Upgrade, HTTP2-Settings",
            "Cookie: =;;;", "Range: bytes=9-1", "If-None-Match: *", "X-Forwarded-For: not-an-address");
    public static final List<String> CREDENTIALS = List.of("", "Basic", "Basic ", "Basic !!!", basic("no-colon"),
            basic(":"), basic(USER + ":"), basic(USER + ":" + "x".repeat(73)), basic(USER + ":" + "y".repeat(10_000)),
            basic("\u00fc\u202e:" + PASSWORD), basic(USER + ":" + PASSWORD + "\u0000"), "Bearer token",
            "basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)),
            "Basic " + Base64.getEncoder().encodeToString(new byte[]{(byte) 0xff, (byte) 0xfe, ':', (byte) 0x80}),
            "Basic " + "QQ".repeat(5000), "Basic =====", "Digest username=\"x\"");
    public static final List<String> VERSIONS = List.of("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "", "HTTP/9.9", "HTTP/1",
            "http/1.1", "HTTP/1.1 extra", "HTTP/01.1");
    public static final List<String> EOLS = List.of("\r\n", "\n", "\r", "\n\r");
    public static final List<byte[]> BODIES = List.of(new byte[0], "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            "zz\r\nabc\r\n".getBytes(StandardCharsets.US_ASCII), new byte[]{0, 1, 2, (byte) 0xff},
            "x".repeat(100_000).getBytes(StandardCharsets.US_ASCII));

    /** A good, authenticated scrape of /metrics. */
    public static Parts good() {
        return new Parts("GET", "/metrics", "HTTP/1.1", "\r\n", List.of("Host: 127.0.0.1"), basic(USER + ":" + PASSWORD),
                new byte[0]);
    }

    /** Every variant alone, then {@code combinations} requests with a variant in each of 2 to 5 random parts. */
    public static Map<String, Parts> generate(int combinations, long seed) {
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
}
