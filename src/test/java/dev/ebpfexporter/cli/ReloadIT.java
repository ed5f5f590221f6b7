package dev.ebpfexporter.cli;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.ebpfexporter.compat.TestPrograms;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reloads of the launched exporter while a client scrapes it in a loop: {@code SIGHUP}, then
 * {@code POST /-/reload} behind basic auth (with {@code --web.enable-lifecycle}), then a version that fails.
 * Every scrape is answered, and the unchanged config's counter is in every one and never goes back.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ReloadIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));

    /** One scrape: its status, and the unchanged config's counter (-1 when missing). */
    record Scrape(int status, double steady) {
    }

    @Test
    void sighupAndPostReloadUnderScrapes(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        TestPrograms.config(dir, "steady", "pinned", TestPrograms.switches("pinned", "Scheduler switches"));
        TestPrograms.config(dir, "a", "reload_a", TestPrograms.switches("reload_a", "Switches, version 1"));
        String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(4, "s3cret".toCharArray());
        Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  alice: " + hash + "\n");
        int port = Ports.free();
        List<Scrape> scrapes = new CopyOnWriteArrayList<>();
        AtomicBoolean scraping = new AtomicBoolean(true);
        try (Launcher launcher = Launcher.start("--config.dir=" + dir, "--config.names=steady,a", "--web.enable-lifecycle",
                "--web.config.file=" + dir.resolve("web.yml"), "--web.listen-address=127.0.0.1:" + port)) {
            launcher.awaitLog("listening on", START);
            Thread scraper = Thread.ofPlatform().daemon().start(() -> {
                while (scraping.get()) {
                    try {
                        HttpResponse<String> response = send(port, "GET", "/metrics", true);
                        List<Samples.Sample> steady = response.statusCode() == 200
                                ? Samples.parse(response.body()).named("ebpf_exporter_pinned_switches_total") : List.of();
                        scrapes.add(new Scrape(response.statusCode(), steady.isEmpty() ? -1 : steady.getFirst().value()));
                    } catch (Exception e) {
                        scrapes.add(new Scrape(0, -1));
                    }
                }
            });

            TestPrograms.config(dir, "a", "reload_a", TestPrograms.switches("reload_a", "Switches, version 2"));
            new ProcessBuilder("kill", "-HUP", Long.toString(launcher.process.pid())).start().waitFor();
            launcher.awaitLog("reload successful: 1 changed, 0 added, 0 removed, 1 unchanged", START);
            assertThat(launcher.log()).contains("reloading configs (SIGHUP)");
            assertThat(launcher.process.isAlive()).as("SIGHUP reloads, it does not stop the JVM").isTrue();
            assertThat(send(port, "GET", "/metrics", true).body()).contains("Switches, version 2");

            assertThat(send(port, "POST", "/-/reload", false).statusCode()).as("behind the web config's auth")
                    .isEqualTo(401);
            HttpResponse<String> nothingChanged = send(port, "POST", "/-/reload", true);
            assertThat(nothingChanged.statusCode()).isEqualTo(200);
            launcher.awaitLog("reload successful: 0 changed, 0 added, 0 removed, 2 unchanged", START);
            HttpResponse<String> get = send(port, "GET", "/-/reload", true);
            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(get.headers().firstValue("Allow")).contains("POST, PUT");

            Files.writeString(dir.resolve("a.yaml"), "metrics: [");
            HttpResponse<String> failed = send(port, "PUT", "/-/reload", true);
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body()).startsWith("failed to reload config: " + dir.resolve("a.yaml") + ":1: invalid YAML")
                    .contains("(the previous version keeps running)");
            Samples after = Samples.parse(send(port, "GET", "/metrics", true).body());
            assertThat(after.value("ebpf_exporter_config_last_reload_successful")).isEqualTo(0);
            assertThat(after.value("ebpf_exporter_config_last_reload_success_timestamp_seconds")).isPositive();
            assertThat(after.named("ebpf_exporter_reload_a_switches_total")).as("the previous version runs").hasSize(1);
            assertThat(send(port, "GET", "/", true).body()).contains("Last load (start or reload) failed",
                    "0 changed, 0 added, 0 removed, 1 unchanged, 1 failed", "a.yaml:1: invalid YAML");

            int enough = Math.max(scrapes.size() + 5, 30);
            while (scrapes.size() < enough) {
                Thread.sleep(10);
            }
            scraping.set(false);
            scraper.join();
        }
        System.out.printf("ReloadIT: %d scrapes during and after 3 reloads, %d answered 200; the unchanged counter went from %.0f to %.0f%n",
                scrapes.size(), scrapes.stream().filter(s -> s.status() == 200).count(), scrapes.getFirst().steady(),
                scrapes.getLast().steady());
        assertThat(scrapes).hasSizeGreaterThanOrEqualTo(30);
        assertThat(scrapes).as("every scrape answered").allMatch(s -> s.status() == 200);
        assertThat(scrapes).as("the unchanged config in every scrape").allMatch(s -> s.steady() > 0);
        for (int i = 1; i < scrapes.size(); i++) {
            assertThat(scrapes.get(i).steady()).as("scrape %d of the unchanged counter", i)
                    .isGreaterThanOrEqualTo(scrapes.get(i - 1).steady());
        }
    }

    private static HttpResponse<String> send(int port, String method, String path, boolean auth) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        if (auth) {
            request.header("Authorization", AUTH);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
