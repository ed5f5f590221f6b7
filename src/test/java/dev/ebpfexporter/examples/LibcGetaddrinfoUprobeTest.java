package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** uprobe: getaddrinfo() calls in libc, from any process that loads it, are counted by command. */
class LibcGetaddrinfoUprobeTest {
    private static final String NAME = "ebpf_exporter_libc_getaddrinfo_calls_total";

    @Test
    void getentLookupsAreCounted() {
        try (InProcessExporter exporter = InProcessExporter.loadedExamples("uprobe")) {
            Samples before = exporter.scrape();

            Workloads.runOk("getent", "ahosts", "localhost");
            Workloads.runOk("getent", "ahosts", "localhost");

            exporter.scrapeUntilGrown(before, 2, NAME, "command", "getent");
        }
    }
}
