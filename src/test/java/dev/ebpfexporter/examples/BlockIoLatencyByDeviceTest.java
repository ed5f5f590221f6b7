package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import dev.ebpfexporter.testing.Workloads.ScratchFile;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** biolatency: O_DIRECT writes and reads of a file on the root disk land in that disk's histograms. */
class BlockIoLatencyByDeviceTest {
    private static final String NAME = "ebpf_exporter_bio_latency_seconds";
    private static final int BLOCKS = 100;

    @Test
    void directWritesAndReadsAreTimedPerDeviceAndOperation() {
        try (InProcessExporter exporter = InProcessExporter.loadedExamples("biolatency");
             ScratchFile file = Workloads.scratchFile("biolatency")) {
            String device = Workloads.blockDeviceOf(Workloads.SCRATCH_DIR);
            Samples before = exporter.scrape();

            Workloads.directWrite(file.path(), 4096, BLOCKS);
            Workloads.directRead(file.path(), 4096);

            Samples after = exporter.scrapeUntil(Duration.ofSeconds(10),
                    s -> grew(before, s, device, "write") >= BLOCKS && grew(before, s, device, "read") >= BLOCKS);
            for (String operation : new String[] {"write", "read"}) {
                assertThat(grew(before, after, device, operation)).as("%s_count{device=%s,operation=%s} growth", NAME,
                        device, operation).isGreaterThanOrEqualTo(BLOCKS);
                assertThat(after.increaseSince(before, NAME + "_bucket", "device", device, "operation", operation, "le", "+Inf"))
                        .as("+Inf bucket").isGreaterThanOrEqualTo(BLOCKS);
                assertThat(after.increaseSince(before, NAME + "_sum", "device", device, "operation", operation))
                        .as("sum of latencies").isPositive();
                // The requests took real time, but less than a second: finite buckets caught them.
                assertThat(after.increaseSince(before, NAME + "_bucket", "device", device, "operation", operation, "le", "1.048576"))
                        .as("requests faster than ~1 s").isGreaterThanOrEqualTo(BLOCKS * 0.9);
                assertThat(after.increaseSince(before, NAME + "_bucket", "device", device, "operation", operation, "le", "1e-06"))
                        .as("requests faster than 1 us (impossible for a disk)").isLessThan(BLOCKS / 2.0);
            }
        }
    }

    private static double grew(Samples before, Samples after, String device, String operation) {
        return after.increaseSince(before, NAME + "_count", "device", device, "operation", operation);
    }

}
