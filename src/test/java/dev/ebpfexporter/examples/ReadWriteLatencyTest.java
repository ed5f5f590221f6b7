package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** read-latency: dd's read() and write() calls are timed under command="dd"; a slow read lands near 1 s. */
class ReadWriteLatencyTest {
    private static final String READ = "ebpf_exporter_read_latency_seconds";
    private static final String WRITE = "ebpf_exporter_write_latency_seconds";
    private static final int CALLS = 1000;

    @Test
    void ddReadsAndWritesAreTimedByCommand() {
        try (InProcessExporter exporter = InProcessExporter.examples("read-latency")) {
            assertThat(exporter.failures()).isEmpty();
            Samples before = exporter.scrape();

            Workloads.runOk("dd", "if=/dev/zero", "of=/dev/null", "bs=1k", "count=" + CALLS, "status=none");

            Samples after = exporter.scrapeUntil(Duration.ofSeconds(10),
                    s -> s.increaseSince(before, READ + "_count", "command", "dd") >= CALLS
                            && s.increaseSince(before, WRITE + "_count", "command", "dd") >= CALLS);
            assertThat(after.increaseSince(before, READ + "_count", "command", "dd")).isGreaterThanOrEqualTo(CALLS);
            assertThat(after.increaseSince(before, WRITE + "_count", "command", "dd")).isGreaterThanOrEqualTo(CALLS);
            // Reading /dev/zero is fast: most calls under 1 ms.
            assertThat(after.increaseSince(before, READ + "_bucket", "command", "dd", "le", "0.001024"))
                    .isGreaterThanOrEqualTo(CALLS * 0.9);
        }
    }

    @Test
    void aReadThatWaitsIsInTheSecondBucket() {
        try (InProcessExporter exporter = InProcessExporter.examples("read-latency")) {
            Samples before = exporter.scrape();

            // cat's first read() on the pipe waits until sleep exits, about 0.3 s later.
            Workloads.runOk("sh", "-c", "sleep 0.3 | cat");

            Samples after = exporter.scrapeUntil(Duration.ofSeconds(10),
                    s -> slowReads(before, s) >= 1);
            assertThat(slowReads(before, after)).as("cat reads between 0.26 s and 1.05 s").isGreaterThanOrEqualTo(1);
        }
    }

    private static double slowReads(Samples before, Samples after) {
        return after.increaseSince(before, READ + "_bucket", "command", "cat", "le", "1.048576")
                - after.increaseSince(before, READ + "_bucket", "command", "cat", "le", "0.262144");
    }
}
