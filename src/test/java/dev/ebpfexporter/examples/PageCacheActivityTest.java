package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import dev.ebpfexporter.testing.Workloads.ScratchFile;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** page-cache: writing a file adds and dirties folios, sync writes its pages back, deleting it removes them. */
class PageCacheActivityTest {
    private static final String OPS = "ebpf_exporter_page_cache_ops_total";
    private static final String WRITEBACK = "ebpf_exporter_writeback_pages_total";
    private static final int MIB = 20;
    private static final int PAGES = MIB * 256;

    @Test
    void writeSyncDeleteMovesEveryOp() {
        try (InProcessExporter exporter = InProcessExporter.loadedExamples("page-cache")) {
            Samples before = exporter.scrape();

            try (ScratchFile file = Workloads.scratchFile("page-cache")) {
                Workloads.bufferedWrite(file.path(), MIB);
                Workloads.syncAll();
            } // deleted here: its folios leave the page cache

            Samples after = exporter.scrapeUntil(Duration.ofSeconds(10),
                    s -> s.increaseSince(before, WRITEBACK) >= PAGES
                            && s.increaseSince(before, OPS, "op", "delete") >= 1);
            for (String op : new String[] {"add", "dirty", "delete"}) {
                // Folios, not pages: large folios make the counts much smaller than 5120.
                assertThat(after.increaseSince(before, OPS, "op", op)).as("op=%s", op).isGreaterThanOrEqualTo(1);
            }
            assertThat(after.increaseSince(before, WRITEBACK)).as("pages written back").isGreaterThanOrEqualTo(PAGES);
        }
    }
}
