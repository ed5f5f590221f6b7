package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** runqlat: more runnable threads than CPUs make tasks wait on the run queue for milliseconds. */
class RunQueueLatencyTest {
    private static final String NAME = "ebpf_exporter_run_queue_latency_seconds";
    private static final String MILLISECOND = "0.001024"; // 2^10 us

    @Test
    void overloadedCpusShowMillisecondRunQueueWaits() {
        try (InProcessExporter exporter = InProcessExporter.loadedExamples("runqlat")) {
            Samples before = exporter.scrape();

            int cpus = Runtime.getRuntime().availableProcessors();
            Samples after = before;
            // Two spinning threads per CPU for a second at a time, until a wait above 1 ms shows up.
            for (int round = 0; round < 5 && waitsAboveOneMs(before, after) < 1; round++) {
                Workloads.burnCpu(2 * cpus, Duration.ofSeconds(1));
                after = exporter.scrape();
            }
            assertThat(after.increaseSince(before, NAME + "_count")).as("wakeups measured").isGreaterThanOrEqualTo(10);
            assertThat(after.increaseSince(before, NAME + "_sum")).isPositive();
            assertThat(waitsAboveOneMs(before, after)).as("waits longer than %s s", MILLISECOND).isGreaterThanOrEqualTo(1);
            // Buckets are cumulative.
            double previous = 0;
            for (Samples.Sample bucket : after.named(NAME + "_bucket")) {
                assertThat(bucket.value()).isGreaterThanOrEqualTo(previous);
                previous = bucket.value();
            }
        }
    }

    private static double waitsAboveOneMs(Samples before, Samples after) {
        return after.increaseSince(before, NAME + "_count")
                - after.increaseSince(before, NAME + "_bucket", "le", MILLISECOND);
    }
}
