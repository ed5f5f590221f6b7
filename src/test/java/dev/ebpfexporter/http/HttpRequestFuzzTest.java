package dev.ebpfexporter.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.ebpfexporter.collector.MapsView;
import dev.ebpfexporter.testing.MalformedRequests;
import dev.ebpfexporter.testing.RawHttp;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing the web server (jqwik; tries from {@code jqwik.tries.default}, see docs/safety.md): requests
 * assembled from the malformed variants of {@link MalformedRequests} and random text in every part, sent
 * byte for byte to the real server (basic auth, {@code /maps}) over a socket. Every answer must be 2xx or
 * 4xx, and the server must still answer a good scrape afterwards.
 */
class HttpRequestFuzzTest {
    private static WebServer server;

    @BeforeContainer
    static void start() throws Exception {
        String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(4, MalformedRequests.PASSWORD.toCharArray());
        WebConfig web = WebConfig.parse(Path.of("/fuzz/web.yml"), "basic_auth_users:\n  " + MalformedRequests.USER + ": "
                + hash + "\n");
        MapsJson maps = new MapsJson(new MapsView(List::of, (decoder, size) -> {
            throw new AssertionError("no decoders without configs");
        }));
        server = TestServers.start(web, WebServer.Limits.DEFAULT, Optional.of(maps));
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    /** Any text, or text that means something to HTTP. */
    private static Arbitrary<String> text() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(12),
                Arbitraries.strings().withChars("%/?&=;:#[]{}\\\"' \t\r\n\u0000\u007f+*.,@!~").ofMaxLength(12),
                Arbitraries.strings().withCharRange('0', 'z').ofMaxLength(12));
    }

    @Provide
    Arbitrary<MalformedRequests.Parts> requests() {
        MalformedRequests.Parts good = MalformedRequests.good();
        Arbitrary<String> method = Arbitraries.oneOf(Arbitraries.of(MalformedRequests.METHODS), text(), Arbitraries.just("GET"));
        Arbitrary<String> target = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of(MalformedRequests.PATHS), Arbitraries.of(MalformedRequests.QUERIES))
                        .as(String::concat),
                Combinators.combine(Arbitraries.of("/metrics?", "/maps?config=", "/", "/view/data?", "/-/"), text())
                        .as(String::concat));
        Arbitrary<List<String>> headers = Arbitraries.oneOf(Arbitraries.of(MalformedRequests.HEADERS),
                Combinators.combine(Arbitraries.of("Accept", "Accept-Encoding", "Host", "Content-Length",
                        "Transfer-Encoding", "Connection", "X-Any"), text()).as((n, v) -> n + ": " + v),
                text()).list().ofMaxSize(3).map(extra -> {
                    List<String> all = new ArrayList<>(good.headers());
                    all.addAll(extra);
                    return all;
                });
        Arbitrary<String> authorization = Arbitraries.oneOf(Arbitraries.just(good.authorization()),
                Arbitraries.of(MalformedRequests.CREDENTIALS).map(c -> c.isEmpty() ? null : c),
                text().map(t -> "Basic " + java.util.Base64.getEncoder().encodeToString(t.getBytes(StandardCharsets.UTF_8))));
        Arbitrary<String> version = Arbitraries.oneOf(Arbitraries.just("HTTP/1.1"), Arbitraries.of(MalformedRequests.VERSIONS));
        Arbitrary<String> eol = Arbitraries.oneOf(Arbitraries.just("\r\n"), Arbitraries.of(MalformedRequests.EOLS));
        Arbitrary<byte[]> body = Arbitraries.oneOf(Arbitraries.just(new byte[0]), Arbitraries.of(MalformedRequests.BODIES),
                text().map(t -> t.getBytes(StandardCharsets.UTF_8)));
        return Combinators.combine(method, target, version, eol, headers, authorization, body)
                .as(MalformedRequests.Parts::new);
    }

    @Property
    void everyRequestGetsA2xxOr4xx(@ForAll("requests") MalformedRequests.Parts request) throws Exception {
        RawHttp.Answer answer = RawHttp.send(server.port(), request.bytes());
        assertThat(MalformedRequests.acceptable(answer)).as("%s for %s", answer.text().lines().findFirst().orElse("no answer"),
                request.describe()).isTrue();
    }

    @Property(tries = 3)
    void aGoodScrapeStillWorks() throws Exception {
        assertThat(RawHttp.send(server.port(), MalformedRequests.good().bytes()).status()).isEqualTo(200);
    }
}
