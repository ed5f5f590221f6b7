package dev.ebpfexporter.compat;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.collector.ObjectLoader;
import dev.ebpfexporter.decoder.DecoderRegistry;
import dev.ebpfexporter.metrics.MetricOptions;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.ebpfexporter.compat.TestPrograms.map;
import static dev.ebpfexporter.compat.TestPrograms.put;
import static dev.ebpfexporter.compat.TestPrograms.u32;
import static dev.ebpfexporter.compat.TestPrograms.u32s;
import static dev.ebpfexporter.compat.TestPrograms.u64s;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code expire_after} and {@code overflow_series} against real kernel maps (maps.bpf.o), the
 * program's side played by the test writing the maps: idle series' keys leave the map while
 * Prometheus-style scrapes run, busy ones stay; what the series limit cuts adds up in one series.
 */
class SeriesLifetimeOnMapsTest {
    private static final String EXPIRING = pidsAndLatency("expire_after: 1s");

    /** Events by pid (hash) and latency by op (exp2 histogram), both with {@code option} (one line). */
    private static String pidsAndLatency(String option) {
        return """
                metrics:
                  counters:
                    - name: hash_events_total
                      help: Events by pid
                      %1$s
                      labels:
                        - {name: pid, size: 4, decoders: [{name: uint}]}
                  histograms:
                    - name: exp2_seconds
                      help: Latency by op
                      bucket_type: exp2
                      bucket_min: 0
                      bucket_max: 3
                      %1$s
                      labels:
                        - {name: op, size: 4, decoders: [{name: uint}]}
                        - {name: bucket, size: 4, decoders: [{name: uint}]}
                """.formatted(option);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void idleSeriesLeaveTheMapWhileBusyOnesStayUnderScraping(@TempDir Path dir) throws Exception {
        try (InProcessExporter exporter = TestPrograms.loaded(dir, "expiring", "maps", EXPIRING)) {
            BpfMap counts = map(exporter, "expiring", "hash_events_total");
            BpfMap latency = map(exporter, "expiring", "exp2_seconds");
            put(counts, u32(100), u64s(1)); // busy pid
            put(counts, u32(200), u64s(7)); // a pid that exited
            put(latency, u32s(1, 0), u64s(1)); // op 1: bucket 0 keeps counting...
            put(latency, u32s(1, 2), u64s(3)); // ...bucket 2 does not, and must stay with its series
            put(latency, u32s(2, 1), u64s(5)); // op 2: idle

            AtomicInteger scrapes = new AtomicInteger();
            AtomicReference<Throwable> scrapeFailure = new AtomicReference<>();
            Thread scraper = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        exporter.scrapeText();
                        scrapes.incrementAndGet();
                        Thread.sleep(100);
                    }
                } catch (InterruptedException e) {
                    // stopped by the test
                } catch (Throwable t) {
                    scrapeFailure.set(t);
                }
            });
            Samples first = exporter.scrape();
            assertThat(first.value("ebpf_exporter_hash_events_total", "pid", "200")).isEqualTo(7);
            long start = System.nanoTime();
            long idleGoneAfter = -1;
            long busy = 1;
            while (System.nanoTime() - start < 2_500_000_000L) {
                busy++;
                put(counts, u32(100), u64s(busy));
                put(latency, u32s(1, 0), u64s(busy));
                if (idleGoneAfter < 0 && lookup(counts, u32(200)) == null) {
                    idleGoneAfter = (System.nanoTime() - start) / 1_000_000;
                }
                Thread.sleep(100);
            }
            scraper.interrupt();
            scraper.join(10_000);
            assertThat(scrapeFailure.get()).isNull();
            assertThat(scrapes.get()).as("scrapes while the maps changed").isGreaterThanOrEqualTo(10);
            System.out.printf("expire_after 1s under scrapes every 100 ms: the idle key left the map after %d ms;"
                    + " %d scrapes; the busy keys stayed%n", idleGoneAfter, scrapes.get());
            assertThat(idleGoneAfter).as("ms until the idle key was deleted").isBetween(1_000L, 2_500L);

            assertThat(lookup(counts, u32(200))).as("idle pid's key").isNull();
            assertThat(lookup(counts, u32(100))).as("busy pid's key").isNotNull();
            assertThat(lookup(latency, u32s(2, 1))).as("idle op's bucket").isNull();
            assertThat(lookup(latency, u32s(1, 2))).as("unchanged bucket of a busy op").isEqualTo(u64s(3));

            Samples last = exporter.scrape();
            assertThat(last.named("ebpf_exporter_hash_events_total")).extracting(s -> s.label("pid"))
                    .containsExactly("100");
            assertThat(last.value("ebpf_exporter_hash_events_total", "pid", "100")).isEqualTo(busy);
            assertThat(last.named("ebpf_exporter_exp2_seconds_count")).extracting(s -> s.label("op"))
                    .containsExactly("1");
            assertThat(last.value("ebpf_exporter_exp2_seconds_count", "op", "1")).isEqualTo(busy + 3);
            assertThat(last.value("ebpf_exporter_expired_keys_total", "config", "expiring", "metric",
                    "hash_events_total")).isEqualTo(1);
            assertThat(last.value("ebpf_exporter_expired_keys_total", "config", "expiring", "metric",
                    "exp2_seconds")).isEqualTo(1);
        }
    }

    @Test
    void expireAfterOnAnArrayMapIsAConfigError(@TempDir Path dir) {
        String yaml = """
                metrics:
                  counters:
                    - name: array_events_total
                      help: Events by slot
                      expire_after: 10m
                      labels:
                        - {name: slot, size: 4, decoders: [{name: uint}]}
                """;
        try (InProcessExporter exporter = InProcessExporter.load(TestPrograms.config(dir, "arrays", "maps", yaml),
                "arrays")) {
            assertThat(exporter.failures()).containsExactly("config arrays: " + dir.resolve("arrays.yaml") + ":5: metric array_events_total:"
                    + " expire_after: the keys of map array_events_total (array) cannot be deleted: every slot of an"
                    + " array always exists");
        }
    }

    @Test
    void whatTheSeriesLimitCutsAddsUpInTheOverflowSeries(@TempDir Path dir) throws Exception {
        String yaml = pidsAndLatency("overflow_series: true");
        ObjectLoader loader = new ObjectLoader(DecoderRegistry.forSystem()::create, Optional.empty(),
                new MetricOptions(3, true));
        try (InProcessExporter exporter = InProcessExporter.load(loader, TestPrograms.config(dir, "overflow", "maps",
                yaml), "overflow")) {
            assertThat(exporter.failures()).isEmpty();
            BpfMap counts = map(exporter, "overflow", "hash_events_total");
            BpfMap latency = map(exporter, "overflow", "exp2_seconds");
            long total = 0;
            for (int pid = 1; pid <= 6; pid++) {
                put(counts, u32(pid), u64s(1L << pid));
                total += 1L << pid;
            }
            for (int op = 1; op <= 5; op++) {
                put(latency, u32s(op, op % 4), u64s(op));
            }
            Samples scrape = exporter.scrape();

            List<Samples.Sample> series = scrape.named("ebpf_exporter_hash_events_total");
            assertThat(series).hasSize(3);
            assertThat(series).filteredOn(s -> s.label("pid").equals("__overflow__")).hasSize(1);
            assertThat(scrape.sum("ebpf_exporter_hash_events_total")).as("nothing lost").isEqualTo(total);
            assertThat(scrape.value("ebpf_exporter_series_dropped_total", "config", "overflow", "metric",
                    "hash_events_total")).isEqualTo(4);

            List<Samples.Sample> counts3 = scrape.named("ebpf_exporter_exp2_seconds_count");
            assertThat(counts3).hasSize(3);
            assertThat(counts3).filteredOn(s -> s.label("op").equals("__overflow__")).hasSize(1);
            assertThat(scrape.sum("ebpf_exporter_exp2_seconds_count")).isEqualTo(1 + 2 + 3 + 4 + 5);
        }
    }

    private static byte[] lookup(BpfMap map, byte[] key) {
        try {
            return map.lookup(key);
        } catch (BpfException e) {
            throw new IllegalStateException(e);
        }
    }
}
