package dev.ebpfexporter.cli;

import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flags through the real launcher: socket activation, sd_notify, capabilities,
 * log formats, /maps and web config errors. Runs after package (failsafe), as root with BPF.
 */
class LauncherFlagsIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Pattern LOGFMT_LINE = Pattern.compile(
            "time=\\S+ level=(debug|info|warn|error) source=\\S+ msg=(\"([^\"\\\\]|\\\\.)*\"|\\S+)");
    private static final Pattern JSON_LINE = Pattern.compile(
            "\\{\"time\":\"[^\"]+\",\"level\":\"(debug|info|warn|error)\",\"source\":\"[^\"]*\",\"msg\":\"([^\"\\\\]|\\\\.)*\"}");

    @TempDir
    Path dir;

    private static List<String> timers(String... more) {
        List<String> args = new ArrayList<>(List.of("--config.dir=" + BpfAvailability.examples(), "--config.names=timers"));
        args.addAll(List.of(more));
        return args;
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(START).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** systemd-socket-activate needs a moment before it listens: retry refused connections, bounded. */
    private static HttpResponse<String> getOnceListening(int port, String path) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            try {
                return get(port, path);
            } catch (java.net.ConnectException refused) {
                if (System.nanoTime() > deadline) {
                    throw refused;
                }
                Thread.sleep(50);
            }
        }
    }

    @Test
    void servesOnASocketPassedBySystemdSocketActivation() throws Exception {
        BpfAvailability.require();
        dev.ebpfexporter.testing.TestTools.require("systemd-socket-activate", "systemd");
        int port = Ports.free();
        // systemd-socket-activate listens, then execs the launcher on the first connection with the
        // socket as fd 3 and LISTEN_FDS=1 / LISTEN_PID set: what a .socket unit does.
        try (Launcher launcher = Launcher.start(List.of("systemd-socket-activate", "-l", "127.0.0.1:" + port),
                timers("--web.listen-address=fd://"), Map.of())) {
            HttpResponse<String> response = getOnceListening(port, "/metrics");
            assertThat(response.statusCode()).as(launcher.log()).isEqualTo(200);
            assertThat(response.body()).contains("ebpf_exporter_enabled_configs{name=\"timers\"} 1");
            assertThat(get(port, "/-/ready").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void fdListenAddressWithoutSystemdFailsWithAMessage() throws Exception {
        BpfAvailability.require();
        try (Launcher launcher = Launcher.start(timers("--web.listen-address=fd://0").toArray(String[]::new))) {
            assertThat(launcher.waitForExit(START)).isEqualTo(1);
            assertThat(launcher.log()).contains("LISTEN_PID and LISTEN_FDS are not set");
        }
    }

    @Test
    void tellsSystemdItIsReady() throws Throwable {
        BpfAvailability.require();
        int port = Ports.free();
        try (NotifyListener notify = new NotifyListener(dir.resolve("notify.sock"), 60);
             Launcher launcher = Launcher.start(List.of(), timers("--web.listen-address=127.0.0.1:" + port),
                     Map.of("NOTIFY_SOCKET", notify.path.toString()))) {
            String message = notify.receive();
            assertThat(message).as(launcher.log()).isEqualTo("READY=1");
            // READY comes once the server is up.
            assertThat(get(port, "/-/ready").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aCapabilityDropIsRefusedBeforeAnythingLoads() throws Exception {
        // It used to log "kept none" while 19 of 23 threads kept every capability.
        try (Launcher launcher = Launcher.start("--config.dir=examples", "--config.names=timers", "--capabilities.keep=none")) {
            assertThat(launcher.waitForExit(START)).isEqualTo(1);
            assertThat(launcher.logLines()).containsExactly("ebpf_exporter: --capabilities.keep=none: only \"all\""
                    + " is accepted: capabilities belong to each thread and the JVM's own threads (GC, JIT) cannot be"
                    + " reached, so a drop would leave most threads with every capability; use --runas.user=USER, which"
                    + " drops every capability of every thread");
        }
    }

    @Test
    void keepAllTheReferencesDefaultStarts() throws Exception {
        BpfAvailability.require();
        int port = Ports.free();
        try (Launcher launcher = Launcher.start(timers("--web.listen-address=127.0.0.1:" + port,
                "--capabilities.keep=all").toArray(String[]::new))) {
            launcher.awaitLog("listening on", START);
            assertThat(get(port, "/metrics").body()).contains("ebpf_exporter_timer_starts_total");
        }
    }

    @Test
    void logLinesParseAsLogfmtByDefaultAndAsJsonWhenAsked() throws Exception {
        BpfAvailability.require();
        for (String format : List.of("logfmt", "json")) {
            int port = Ports.free();
            try (Launcher launcher = Launcher.start(timers("--web.listen-address=127.0.0.1:" + port,
                    "--log.format=" + format, "--log.level=debug").toArray(String[]::new))) {
                launcher.awaitLog("listening on", START);
                List<String> lines = launcher.logLines();
                assertThat(lines).hasSizeGreaterThan(2);
                Pattern pattern = format.equals("json") ? JSON_LINE : LOGFMT_LINE;
                assertThat(lines).as(format).allSatisfy(line -> assertThat(line).matches(pattern));
            }
        }
    }

    @Test
    void badLogFlagsExitWithUsageErrors() throws Exception {
        try (Launcher format = Launcher.start("--config.dir=examples", "--config.names=timers", "--log.format=xml");
             Launcher level = Launcher.start("--config.dir=examples", "--config.names=timers", "--log.level=loud")) {
            assertThat(format.waitForExit(START)).isEqualTo(1);
            assertThat(format.log()).contains("--log.format: \"xml\" is not one of logfmt, json");
            assertThat(level.waitForExit(START)).isEqualTo(1);
            assertThat(level.log()).contains("--log.level: \"loud\"");
        }
    }

    @Test
    void debugServesDecodedMapsAsJson() throws Exception {
        BpfAvailability.require();
        int port = Ports.free();
        try (Launcher launcher = Launcher.start(timers("--web.listen-address=127.0.0.1:" + port, "--debug")
                .toArray(String[]::new))) {
            launcher.awaitLog("listening on", START);
            HttpResponse<String> maps = get(port, "/maps");
            assertThat(maps.statusCode()).isEqualTo(200);
            assertThat(maps.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            assertThat(maps.body()).startsWith("{\"configs\":[{\"name\":\"timers\",\"maps\":[")
                    .contains("\"metrics\":[\"timer_starts_total\"]")
                    .containsPattern("\"labels\":\\{\"function\":\"[^\"]+\"}");
            assertThat(get(port, "/maps?config=timers").statusCode()).isEqualTo(200);
            assertThat(get(port, "/maps?config=..%2F..%2Fetc%2Fpasswd").statusCode()).isEqualTo(404);
            assertThat(get(port, "/maps?file=/etc/passwd").statusCode()).isEqualTo(400);
        }
    }

    @Test
    void aWebConfigWithAnUnknownKeyStopsStartupWithOneLine() throws Exception {
        Path web = dir.resolve("web.yml");
        Files.writeString(web, "tls_server_config:\n  cert_fil: server.crt\n");
        try (Launcher launcher = Launcher.start("--config.dir=" + BpfAvailability.examples(), "--config.names=timers",
                "--web.config.file=" + web)) {
            assertThat(launcher.waitForExit(START)).isEqualTo(1);
            List<String> errors = launcher.logLines().stream().filter(l -> l.contains("level=error")).toList();
            assertThat(errors).hasSize(1);
            assertThat(errors.getFirst()).contains("tls_server_config.cert_fil: unknown key");
        }
    }
}
