package dev.ebpfexporter;

import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.DefaultExamples;
import dev.ebpfexporter.testing.KernelHeld;
import dev.ebpfexporter.testing.MappedLibbpf;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Scrapes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end, as a user runs it: the built launcher on the bundled default examples, scraped over
 * HTTP, checked by promtool, then stopped with SIGTERM, after which none of its programs remain.
 */
class LauncherIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void launcherServesTheDefaultExamplesAndPromtoolFindsNoProblems() throws Exception {
        BpfAvailability.require();
        dev.ebpfexporter.testing.TestTools.require("promtool", "prometheus");
        Path root = BpfAvailability.projectRoot();
        int port = Ports.free();
        Path log = Files.createTempFile("ebpf-exporter", ".log");
        long started = System.nanoTime();
        Process exporter = new ProcessBuilder(root.resolve("ebpf_exporter").toString(), "--config.dir=examples",
                "--config.names=timers,biolatency", "--web.listen-address=127.0.0.1:" + port)
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String metrics = Scrapes.firstMetrics(URI.create("http://127.0.0.1:" + port + "/metrics"), exporter::isAlive,
                    log, Duration.ofSeconds(60));
            long firstScrapeMillis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("LauncherIT: start to first scrape " + firstScrapeMillis + " ms");

            Samples samples = Samples.parse(metrics);
            DefaultExamples.assertServed(samples);
            assertThat(samples.named("ebpf_exporter_build_info")).singleElement()
                    .satisfies(s -> assertThat(s.label("java_version")).startsWith("25"))
                    .satisfies(s -> assertThat(s.label("libbpf_version")).isEqualTo("1.5"));
            // Our libbpf from target/native/, never the host's, and the start-up log says which.
            Path nativeDir = root.resolve("target/native").toRealPath();
            MappedLibbpf.assertOurs(Path.of("/proc", Long.toString(exporter.pid()), "maps"), nativeDir);
            assertThat(Files.readString(log)).contains("libbpf 1.5 from " + nativeDir.resolve("libbpf.so.1.5.0"));

            Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
            promtool.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
            promtool.getOutputStream().close();
            String problems = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // Exit 3 is lint only: the run-time counter keeps the reference's name without _total.
            assertThat(problems).isEqualTo(
                    "ebpf_exporter_ebpf_program_run_time_seconds counter metrics should have \"_total\" suffix\n");
            assertThat(promtool.exitValue()).isEqualTo(3);

            HttpResponse<String> landing = get(port, "/");
            assertThat(landing.statusCode()).isEqualTo(200);
            assertThat(landing.body()).contains("href=\"/metrics\"", "timers", "biolatency");
            assertThat(get(port, "/-/healthy").statusCode()).isEqualTo(200);
            assertThat(get(port, "/no/such/page").statusCode()).isEqualTo(404);

            List<String> programIds = samples.named("ebpf_exporter_ebpf_program_info").stream()
                    .map(s -> s.label("id")).toList();
            assertThat(programIds).hasSize(3);

            exporter.destroy(); // SIGTERM
            assertThat(exporter.waitFor(20, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
            assertThat(exporter.exitValue()).as("exit status after a clean shutdown, as the reference").isZero();
            assertThat(Files.readString(log)).contains("shutting down: detaching programs", "detached and unloaded 2 configs");
            for (String id : programIds) {
                assertThat(KernelHeld.goneFromKernel("prog", id)).as("program %s is gone after exit", id).isTrue();
            }
        } finally {
            exporter.destroyForcibly();
            exporter.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void versionNamesTheLibbpfItLoads() throws Exception {
        Path root = BpfAvailability.projectRoot();
        Process process = new ProcessBuilder(root.resolve("ebpf_exporter").toString(), "--version")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(output).startsWith("ebpf_exporter ")
                .endsWith("\nlibbpf 1.5 (" + root.resolve("target/native/libbpf.so.1.5.0").toRealPath() + ")\n");
    }

    @Test
    void badFlagsExitWithOneAsKingpinDoesAndSayWhy() throws Exception {
        assertThat(exitingOutput("--web.listen-address=nope")).contains("--web.listen-address: \"nope\" has no port");
        assertThat(exitingOutput("--no-such-flag")).contains("Unknown option: '--no-such-flag'");
    }

    /** What the launcher on the timers example prints with {@code flag} added, asserting it exits with 1. */
    private static String exitingOutput(String flag) throws Exception {
        Process process = new ProcessBuilder(BpfAvailability.projectRoot().resolve("ebpf_exporter").toString(),
                "--config.dir=examples", "--config.names=timers", flag).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(1);
        return output;
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

}
