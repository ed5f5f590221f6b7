package dev.ebpfexporter.cli;

import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.KernelHeld;
import dev.ebpfexporter.testing.Scrapes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM while 20 clients scrape every bundled example, over and over: each run exits 0 within
 * the time, writes no hs_err file, and leaves none of its programs, maps or links in the kernel.
 * Ours are told apart from other processes' by the ids in the exporter's own /proc/PID/fdinfo,
 * read just before the signal. {@code -Dsigterm.cycles=200} runs the long version.
 */
class SigtermCyclesIT {
    private static final int CYCLES = Integer.getInteger("sigterm.cycles", 5);
    private static final int CLIENTS = 20;
    private static final Pattern BPF_ID = Pattern.compile("^(prog|map|link)_id:\\s+(\\d+)$", Pattern.MULTILINE);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void sigtermUnderScrapesLeavesNothingBehind(@TempDir Path work) throws Exception {
        BpfAvailability.require();
        Path root = BpfAvailability.projectRoot();
        String names;
        try (Stream<Path> files = Files.list(root.resolve("examples"))) {
            names = String.join(",", files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList());
        }
        Random random = new Random(143);
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            int port = Ports.free();
            Path log = work.resolve("cycle-" + cycle + ".log");
            Process exporter = new ProcessBuilder(root.resolve("ebpf_exporter").toString(),
                    "--config.dir=" + root.resolve("examples"), "--config.names=" + names, "--config.allow-failures",
                    "--web.listen-address=127.0.0.1:" + port)
                    .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            AtomicBoolean scraping = new AtomicBoolean(true);
            AtomicInteger scrapes = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            try {
                Scrapes.firstMetrics(URI.create("http://127.0.0.1:" + port + "/metrics"), exporter::isAlive, log,
                        Duration.ofSeconds(120));
                for (int c = 0; c < CLIENTS; c++) {
                    clients.add(Thread.ofPlatform().daemon().start(() -> {
                        while (scraping.get()) {
                            try {
                                get(port);
                                scrapes.incrementAndGet();
                            } catch (IOException | InterruptedException stopping) {
                                // the exporter is going away
                            }
                        }
                    }));
                }
                Thread.sleep(200 + random.nextInt(800));
                List<String> ours = bpfObjectsOf(exporter.pid());
                assertThat(ours).as("cycle %d: bpf objects of pid %d", cycle, exporter.pid()).isNotEmpty();
                exporter.destroy(); // SIGTERM
                assertThat(exporter.waitFor(45, TimeUnit.SECONDS)).as("cycle %d exits after SIGTERM", cycle).isTrue();
                scraping.set(false);
                assertThat(exporter.exitValue()).as("cycle %d exit status; log:%n%s", cycle, Files.readString(log))
                        .isEqualTo(Main.EXIT_OK);
                try (Stream<Path> files = Files.list(work)) {
                    assertThat(files.map(Path::getFileName).map(Path::toString)).noneMatch(n -> n.startsWith("hs_err"));
                }
                assertThat(Files.readString(log)).contains("detached and unloaded").doesNotContain("Exception in thread");
                for (String object : ours) {
                    String[] kindAndId = object.split(" ");
                    assertThat(KernelHeld.goneFromKernel(kindAndId[0], kindAndId[1])).as("cycle %d: %s is gone", cycle, object).isTrue();
                }
                System.out.printf("SIGTERM cycle %d: %d scrapes, %d bpf objects released%n", cycle, scrapes.get(),
                        ours.size());
            } finally {
                scraping.set(false);
                exporter.destroyForcibly();
                exporter.waitFor(10, TimeUnit.SECONDS);
                for (Thread client : clients) {
                    client.join(5_000);
                }
            }
        }
    }

    /** "prog 12", "map 34", "link 56": the BPF objects the process holds fds of. */
    private static List<String> bpfObjectsOf(long pid) throws IOException {
        List<String> objects = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fdinfo"))) {
            for (Path fd : fds.toList()) {
                String info;
                try {
                    info = Files.readString(fd);
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                Matcher matcher = BPF_ID.matcher(info);
                while (matcher.find()) {
                    objects.add(matcher.group(1) + " " + matcher.group(2));
                }
            }
        }
        return objects.stream().distinct().toList();
    }

    private static HttpResponse<Void> get(int port) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
    }

}
