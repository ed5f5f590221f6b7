package dev.ebpfexporter.cli;

import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --config.allow-failures}: the exporter serves the configs that loaded, and the one that did
 * not is visible on {@code /}, in {@code ebpf_exporter_failed_configs} and as 503 on {@code /-/ready}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AllowFailuresIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void failedConfigIsServedAroundAndShown(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        Files.copy(BpfAvailability.examples().resolve("timers.yaml"), dir.resolve("timers.yaml"));
        Files.copy(BpfAvailability.examples().resolve("timers.bpf.o"), dir.resolve("timers.bpf.o"));
        Files.writeString(dir.resolve("broken.yaml"), "metrics: [\n");
        int port = Ports.free();
        try (Launcher launcher = Launcher.start("--config.dir=" + dir, "--config.names=timers,broken",
                "--config.allow-failures", "--web.listen-address=127.0.0.1:" + port)) {
            launcher.awaitLog("listening on", START);
            assertThat(launcher.log()).contains("--config.allow-failures: serving without config broken");

            Samples samples = Samples.parse(get(port, "/metrics").body());
            assertThat(samples.named("ebpf_exporter_enabled_configs")).extracting(s -> s.label("name"))
                    .containsExactly("timers");
            assertThat(samples.named("ebpf_exporter_failed_configs")).singleElement().satisfies(s -> {
                assertThat(s.label("name")).isEqualTo("broken");
                assertThat(s.value()).isEqualTo(1.0);
            });
            assertThat(get(port, "/").body()).contains("Failed configs", "broken", "broken.yaml");
            HttpResponse<String> ready = get(port, "/-/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).startsWith("Not ready: configs failed to load: broken\n" + dir.resolve("broken.yaml") + ":")
                    .contains("invalid YAML").endsWith("\n").hasLineCount(2);
            assertThat(get(port, "/-/healthy").statusCode()).isEqualTo(200);
        }
        // Without the flag the same configs stop startup.
        try (Launcher launcher = Launcher.start("--config.dir=" + dir, "--config.names=timers,broken",
                "--web.listen-address=127.0.0.1:" + port)) {
            assertThat(launcher.waitForExit(START)).isEqualTo(1);
            assertThat(launcher.log()).contains("1 config(s) failed to load: broken, exiting");
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
