package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.Change;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** read-latency: dd's read() and write() calls are timed under command="dd"; a read that waits half a second lands in its bucket. */
class ReadWriteLatencyTest {
    private static final String READ = "ebpf_exporter_read_latency_seconds";
    private static final String WRITE = "ebpf_exporter_write_latency_seconds";
    private static final int CALLS = 1000;

    @Test
    void ddReadsAndWritesAreTimedByCommand() {
        try (InProcessExporter exporter = InProcessExporter.loadedExamples("read-latency")) {
            Change change = exporter.whileRunning(
                    () -> Workloads.runOk("dd", "if=/dev/zero", "of=/dev/null", "bs=1k", "count=" + CALLS, "status=none"),
                    (start, s) -> s.increaseSince(start, READ + "_count", "command", "dd") >= CALLS
                            && s.increaseSince(start, WRITE + "_count", "command", "dd") >= CALLS);
            Samples before = change.before();
            Samples after = change.after();
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

            // cat's first read() on the pipe waits until sleep exits, about 0.5 s later (more on a busy machine).
            Workloads.runOk("sh", "-c", "sleep 0.5 | cat");

            Samples after = exporter.scrapeUntil(Duration.ofSeconds(10),
                    s -> slowReads(before, s) >= 1);
            assertThat(slowReads(before, after)).as("cat reads between 0.26 s and 2.1 s").isGreaterThanOrEqualTo(1);
        }
    }

    private static double slowReads(Samples before, Samples after) {
        return after.increaseSince(before, READ + "_bucket", "command", "cat", "le", "2.097152")
                - after.increaseSince(before, READ + "_bucket", "command", "cat", "le", "0.262144");
    }
}
