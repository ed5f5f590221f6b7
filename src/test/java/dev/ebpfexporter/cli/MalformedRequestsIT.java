package dev.ebpfexporter.cli;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.MalformedRequests;
import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    @Test
    @Timeout(600)
    void everyMalformedRequestGetsA2xxOr4xx(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(4, MalformedRequests.PASSWORD.toCharArray());
        Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  " + MalformedRequests.USER + ": " + hash + "\n");
        int port = Ports.free();
        Map<String, MalformedRequests.Parts> requests = MalformedRequests.generate(600, 22);
        try (Launcher launcher = Launcher.start("--config.dir=" + BpfAvailability.examples(), "--config.names=timers",
                "--web.listen-address=127.0.0.1:" + port, "--web.config.file=" + dir.resolve("web.yml"), "--debug")) {
            launcher.awaitLog("listening on", START);
            List<String> bad = new ArrayList<>();
            Map<Integer, Integer> statuses = new java.util.TreeMap<>();
            for (MalformedRequests.Parts parts : requests.values()) {
                RawHttp.Answer answer = RawHttp.send(port, parts.bytes());
                statuses.merge(answer.status(), 1, Integer::sum);
                if (!MalformedRequests.acceptable(answer)) {
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
