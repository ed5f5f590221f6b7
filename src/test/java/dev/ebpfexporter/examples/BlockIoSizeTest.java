package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import dev.ebpfexporter.testing.Workloads.ScratchFile;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** biosize: ten 64 KiB O_DIRECT writes are ten write requests of 64 KiB on the root disk. */
class BlockIoSizeTest {
    private static final String NAME = "ebpf_exporter_bio_size_bytes";
    private static final int BLOCKS = 10;
    private static final int SIZE = 64 * 1024;

    @Test
    void directWritesAreCountedInTheirSizeBucket() {
        try (InProcessExporter exporter = InProcessExporter.loadedExamples("biosize");
             ScratchFile file = Workloads.scratchFile("biosize")) {
            String device = Workloads.blockDeviceOf(Workloads.SCRATCH_DIR);
            String[] write = {"device", device, "operation", "write"};
            Samples before = exporter.scrape();

            Workloads.directWrite(file.path(), SIZE, BLOCKS);

            Samples after = exporter.scrapeUntil(Duration.ofSeconds(10),
                    s -> s.increaseSince(before, NAME + "_count", write) >= BLOCKS);
            assertThat(after.increaseSince(before, NAME + "_count", write)).as("write requests").isGreaterThanOrEqualTo(BLOCKS);
            assertThat(after.increaseSince(before, NAME + "_sum", write)).as("bytes written")
                    .isGreaterThanOrEqualTo((double) BLOCKS * SIZE);
            assertThat(after.increaseSince(before, NAME + "_bucket", with(write, "le", "65536")))
                    .as("requests of at most 64 KiB").isGreaterThanOrEqualTo(BLOCKS);
            assertThat(after.increaseSince(before, NAME + "_bucket", with(write, "le", "+Inf")))
                    .isGreaterThanOrEqualTo(BLOCKS);
        }
    }

    private static String[] with(String[] labels, String key, String value) {
        String[] all = java.util.Arrays.copyOf(labels, labels.length + 2);
        all[labels.length] = key;
        all[labels.length + 1] = value;
        return all;
    }

}
