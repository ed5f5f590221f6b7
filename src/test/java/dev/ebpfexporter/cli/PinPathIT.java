package dev.ebpfexporter.cli;

import dev.ebpfexporter.compat.TestPrograms;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.BpfFs;
import dev.ebpfexporter.testing.Ports;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --bpf.pin-path} on the launched exporter: stopped (SIGTERM) and started again while a client scrapes
 * it in a loop, its counter and histogram go on from where they were; pins of configs no longer named are
 * removed at start; a path not on a BPF filesystem stops the start with one line.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PinPathIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String COUNTER = "ebpf_exporter_pinned_switches_total";
    private static final String GAPS = "ebpf_exporter_pinned_switch_gap_seconds_count";

    /** One answered scrape, in which run of the exporter. */
    record Scrape(int run, double count, double gaps, long nanos) {
    }

    @Test
    void aRestartUnderScrapesContinuesTheCounts(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        TestPrograms.config(dir, "pinned", "pinned", TestPrograms.switches("pinned", "Scheduler switches"));
        try (BpfFs fs = BpfFs.mount()) {
            Path pins = fs.root().resolve("ebpf_exporter");
            Files.createDirectories(pins.resolve("gone"));
            int port = Ports.free();
            List<String> args = List.of("--config.dir=" + dir, "--config.names=pinned", "--bpf.pin-path=" + pins,
                    "--web.listen-address=127.0.0.1:" + port);
            List<Scrape> scrapes = new CopyOnWriteArrayList<>();
            AtomicBoolean scraping = new AtomicBoolean(true);
            int[] run = {1};
            Thread scraper = Thread.ofPlatform().daemon().start(() -> {
                while (scraping.get()) {
                    try {
                        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                        Samples samples = Samples.parse(response.body());
                        if (response.statusCode() == 200 && !samples.named(COUNTER).isEmpty()) {
                            scrapes.add(new Scrape(run[0], samples.sum(COUNTER), samples.sum(GAPS), System.nanoTime()));
                        }
                        Thread.sleep(10);
                    } catch (Exception between) {
                        // the exporter is restarting
                    }
                }
            });
            List<String> logs = new ArrayList<>();
            try {
                for (int i = 1; i <= 2; i++) {
                    run[0] = i;
                    try (Launcher launcher = Launcher.start(args.toArray(String[]::new))) {
                        launcher.awaitLog("listening on", START);
                        int r = i;
                        long deadline = System.nanoTime() + START.toNanos();
                        while (scrapes.stream().filter(s -> s.run() == r).count() < 20 && System.nanoTime() < deadline) {
                            Thread.sleep(20);
                        }
                        launcher.process.destroy(); // SIGTERM: detach, close; the pins keep the maps
                        assertThat(launcher.waitForExit(START)).as("a clean stop").isEqualTo(Main.EXIT_OK);
                        logs.add(launcher.log());
                    }
                }
            } finally {
                scraping.set(false);
                scraper.join();
            }
            assertThat(logs.get(0)).contains("config gone: not loaded any more: removed its pinned maps in " + pins.resolve("gone"))
                    .contains("pinned maps in " + pins.resolve("pinned") + ": 0 continued, 2 new");
            assertThat(logs.get(1)).contains("pinned maps in " + pins.resolve("pinned") + ": 2 continued, 0 new");
            assertThat(Files.exists(pins.resolve("gone"))).isFalse();
            assertThat(scrapes.stream().filter(s -> s.run() == 1).count()).isGreaterThanOrEqualTo(20);
            assertThat(scrapes.stream().filter(s -> s.run() == 2).count()).isGreaterThanOrEqualTo(20);
            Scrape lastOfFirst = scrapes.stream().filter(s -> s.run() == 1).reduce((a, b) -> b).orElseThrow();
            Scrape firstOfSecond = scrapes.stream().filter(s -> s.run() == 2).findFirst().orElseThrow();
            System.out.printf("PinPathIT: %d scrapes; the last before the restart read %.0f switches and %.0f gaps,"
                            + " the first after it %.0f and %.0f, %d ms later%n", scrapes.size(), lastOfFirst.count(),
                    lastOfFirst.gaps(), firstOfSecond.count(), firstOfSecond.gaps(),
                    (firstOfSecond.nanos() - lastOfFirst.nanos()) / 1_000_000);
            for (int i = 1; i < scrapes.size(); i++) {
                Scrape before = scrapes.get(i - 1);
                Scrape now = scrapes.get(i);
                assertThat(now.count()).as("no counter reset at scrape %d (run %d after run %d)", i, now.run(), before.run())
                        .isGreaterThanOrEqualTo(before.count());
                assertThat(now.gaps()).as("no histogram reset at scrape %d", i).isGreaterThanOrEqualTo(before.gaps());
            }
        }
    }

    @Test
    void aPathNotOnBpffsStopsTheStartInOneLine(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        TestPrograms.config(dir, "pinned", "pinned", TestPrograms.switches("pinned", "Scheduler switches"));
        try (Launcher launcher = Launcher.start("--config.dir=" + dir, "--config.names=pinned",
                "--bpf.pin-path=" + dir.resolve("pins"), "--web.listen-address=127.0.0.1:" + Ports.free())) {
            assertThat(launcher.waitForExit(START)).isEqualTo(1);
            String type = Files.getFileStore(dir).type();
            assertThat(launcher.logLines()).last().isEqualTo("ebpf_exporter: --bpf.pin-path: " + dir.resolve("pins")
                    + " is not on a BPF filesystem (" + dir + " is on " + type + "); mount one first: mount -t bpf bpf /sys/fs/bpf");
        }
    }
}
