package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.Attachment;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * dcstat (a BCC-style inline config, kprobe__/kretprobe__ on d_lookup): creating files looks their
 * names up in the dentry cache and misses; without kprobes both programs say why they did not attach.
 */
class DcacheLookupsTest {
    private static final String NAME = "ebpf_exporter_dcache_lookups_total";
    private static final int FILES = 20;

    @Test
    void newFileNamesAreLookedUpAndMissWhereKprobesExist() {
        try (InProcessExporter exporter = InProcessExporter.loadedExamples("dcstat")) {
            if (!Attachment.kprobesAttached(Attachment.config(exporter, "dcstat"), "kprobe__d_lookup", "kretprobe__d_lookup")) {
                assertThat(exporter.scrape().sum(NAME)).isZero();
                return;
            }
            Samples before = exporter.scrape();
            Workloads.createAndDelete(FILES);
            Samples after = exporter.scrapeUntilGrown(before, FILES, NAME, "event", "miss");
            assertThat(after.increaseSince(before, NAME, "event", "lookup"))
                    .isGreaterThanOrEqualTo(after.increaseSince(before, NAME, "event", "miss"));
        }
    }
}
