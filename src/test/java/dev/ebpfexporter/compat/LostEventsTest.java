package dev.ebpfexporter.compat;

import dev.ebpfexporter.collector.ExporterView;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ebpf_exporter_events_lost_total{config,map}}: a perf buffer and a ring buffer overflowed for
 * real by lost_events.bpf.o, whose every getpgid() writes more in one program run than either holds.
 */
class LostEventsTest {
    private static final MethodHandle GETPGID = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("getpgid").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final int SAMPLES_PER_BURST = 512;
    // 16 KiB ring of 1 KiB records (plus an 8-byte header each): 15 fit, then every reserve fails.
    private static final int RING_RECORDS_PER_BURST = 64;
    // The exporter's perf buffers: 64 pages per CPU.

    private static final String YAML = TestPrograms.labelledCounter("burst_samples_total",
            "Samples of the burst that reached the exporter", "kind", 8, "uint") + "      perf_event_array: true\n";

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void overflowedPerfAndRingBuffersAreCountedAndShown(@TempDir Path dir) throws Throwable {
        try (InProcessExporter exporter = TestPrograms.loaded(dir, "lost", "lost_events", YAML)) {
            Samples before = exporter.scrape();
            assertThat(before.value("ebpf_exporter_events_lost_total", "config", "lost", "map", "burst_samples_total"))
                    .isZero();
            assertThat(before.named("ebpf_exporter_events_lost_total")).extracting(s -> s.label("map"))
                    .containsExactlyInAnyOrder("burst_samples_total", "burst_ring");
            // The kernel reports a perf buffer's drops with the next sample that fits after the reader
            // made room, so the count moves with a burst after the one that overflowed.
            int bursts = 0;
            Samples after;
            do {
                int ignored = (int) GETPGID.invokeExact(0);
                bursts++;
                after = exporter.scrapeUntil(Duration.ofSeconds(2), s ->
                        s.value("ebpf_exporter_events_lost_total", "config", "lost", "map", "burst_samples_total") > 0);
            } while (bursts < 10 && after.value("ebpf_exporter_events_lost_total", "config", "lost", "map",
                    "burst_samples_total") == 0);
            double perfLost = after.value("ebpf_exporter_events_lost_total", "config", "lost", "map", "burst_samples_total");
            double received = after.value("ebpf_exporter_burst_samples_total", "kind", "1");
            double ringLost = after.value("ebpf_exporter_events_lost_total", "config", "lost", "map", "burst_ring");
            System.out.printf("%d bursts of %d perf samples (1 KiB) and %d ring records (1 KiB): perf %.0f received,"
                    + " %.0f lost; ring %.0f lost%n", bursts, SAMPLES_PER_BURST, RING_RECORDS_PER_BURST, received,
                    perfLost, ringLost);
            assertThat(perfLost).as("perf samples lost").isPositive();
            assertThat(received).as("perf samples received").isPositive();
            // A burst into an empty per-CPU buffer of 256 KiB fits at most 256 samples of 1 KiB, but the
            // reader drains it from another CPU while the burst writes, so how many a burst drops has no
            // fixed lower bound (121 of 512 were seen under load), and other processes' getpgid() calls
            // (a shell's getpgrp) burst too: only that some are lost and counted holds.
            assertThat(ringLost).as("ring records lost").isPositive();

            List<ExporterView.Map> maps = new ExporterView(exporter::configs, List::of).configs().getFirst().maps();
            assertThat(lostShown(maps, "burst_ring")).isGreaterThanOrEqualTo((long) ringLost);
            assertThat(lostShown(maps, "burst_samples_total")).isGreaterThanOrEqualTo((long) perfLost);
            assertThat(maps).filteredOn(m -> m.name().equals("scratch")).singleElement()
                    .satisfies(m -> assertThat(m.lostEvents()).isEmpty());
        }
    }

    private static long lostShown(List<ExporterView.Map> maps, String name) {
        ExporterView.Map map = maps.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
        assertThat(map.lostEvents()).as("lost events of " + name + " in the web view").isPresent();
        return map.lostEvents().getAsLong();
    }

    @Test
    void aCompanionCountOfTheWrongShapeFailsTheConfigInOneLine(@TempDir Path dir) {
        try (InProcessExporter exporter = InProcessExporter.load(TestPrograms.config(dir, "odd", "lost_events_odd",
                TestPrograms.counter("odd_calls_total", "Calls")), "odd")) {
            assertThat(exporter.failures()).containsExactly("config odd: map odd_ring_lost counts the records lost by"
                    + " ring buffer odd_ring, so it must be an array or percpu_array of u32 keys and u64 values (see"
                    + " examples/include/events.bpf.h); it is a hash with 8-byte keys and 8-byte values");
        }
    }
}
