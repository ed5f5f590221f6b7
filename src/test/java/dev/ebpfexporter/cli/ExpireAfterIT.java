package dev.ebpfexporter.cli;

import dev.ebpfexporter.compat.TestPrograms;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code expire_after} in the launched exporter, scraped over HTTP, with a real program: execs counted
 * by cgroup (cgroup_ids.bpf.o). The key of a cgroup that is removed stops changing and leaves the map;
 * the key of a cgroup that keeps exec'ing stays.
 */
class ExpireAfterIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void theSeriesOfARemovedCgroupExpiresWhileABusyOneStays() throws Exception {
        BpfAvailability.require();
        try (Workloads.Cgroup busy = Workloads.cgroup2("expire-busy");
             Workloads.Cgroup gone = Workloads.cgroup2("expire-gone")) {
            TestPrograms.config(dir, "cgroup_ids", "cgroup_ids", TestPrograms.cgroupPaths(
                    "^.*/ebpf-exporter-expire-[a-z]+-" + ProcessHandle.current().pid() + "$", "expire_after: 2s"));
            int port = Ports.free();
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build();
            try (Launcher launcher = Launcher.start(List.of(), List.of("--config.dir=" + dir,
                    "--config.names=cgroup_ids", "--web.listen-address=127.0.0.1:" + port), Map.of())) {
                launcher.awaitLog("listening on", Duration.ofSeconds(120));
                assertThat(busy.run("exec true").exitCode()).isZero();
                assertThat(gone.run("exec true").exitCode()).isZero();
                String busyPath = busy.path().toString();
                String gonePath = gone.path().toString();

                AtomicReference<String> last = new AtomicReference<>("");
                AtomicInteger scrapes = new AtomicInteger();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread scraper = Thread.ofPlatform().daemon().start(() -> {
                    try {
                        while (!Thread.currentThread().isInterrupted()) {
                            last.set(http.send(scrape, HttpResponse.BodyHandlers.ofString()).body());
                            scrapes.incrementAndGet();
                            Thread.sleep(200);
                        }
                    } catch (InterruptedException e) {
                        // stopped by the test
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                });
                Workloads.await(Duration.ofSeconds(10), () -> last.get().contains(gonePath));
                assertThat(last.get()).as("both cgroups counted").contains(busyPath).contains(gonePath);
                gone.close(); // removed: its key no longer changes

                long start = System.nanoTime();
                long goneAfter = -1;
                while (System.nanoTime() - start < Duration.ofSeconds(5).toNanos()) {
                    assertThat(busy.run("exec true").exitCode()).isZero();
                    if (goneAfter < 0 && !last.get().contains(gonePath)) {
                        goneAfter = (System.nanoTime() - start) / 1_000_000;
                    }
                    Thread.sleep(300);
                }
                scraper.interrupt();
                scraper.join(10_000);
                assertThat(failure.get()).isNull();

                Samples samples = Samples.parse(http.send(scrape, HttpResponse.BodyHandlers.ofString()).body());
                System.out.printf("expire_after 2s, scrapes every 200 ms over HTTP: the removed cgroup's series was"
                        + " gone %d ms after its removal; %d scrapes; the busy cgroup counted %.0f execs%n", goneAfter,
                        scrapes.get(), samples.value("ebpf_exporter_matched_execs_total", "cgroup", busyPath));
                assertThat(samples.named("ebpf_exporter_matched_execs_total")).extracting(s -> s.label("cgroup"))
                        .containsExactly(busyPath);
                assertThat(samples.value("ebpf_exporter_expired_keys_total", "config", "cgroup_ids", "metric",
                        "matched_execs_total")).isEqualTo(1);
                assertThat(goneAfter).as("ms until the removed cgroup's series left").isBetween(1_000L, 5_000L);
            }
        }
    }
}
