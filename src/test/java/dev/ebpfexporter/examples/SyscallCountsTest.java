package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** syscalls: getpid() calls from this JVM are counted under their decoded syscall name. */
class SyscallCountsTest {
    private static final String NAME = "ebpf_exporter_syscalls_total";
    private static final int CALLS = 10_000;

    @Test
    void getpidCallsAreCountedByName() {
        try (InProcessExporter exporter = InProcessExporter.examples("syscalls")) {
            assertThat(exporter.failures()).isEmpty();
            Samples before = exporter.scrape();

            Workloads.getpidLoop(CALLS);

            Samples after = exporter.scrapeUntilGrown(before, CALLS, NAME, "syscall", "getpid");
            // Names, not numbers: every syscall the machine made decodes through the kernel's table.
            assertThat(after.named(NAME)).extracting(s -> s.label("syscall"))
                    .contains("read", "getpid")
                    .allSatisfy(name -> assertThat(name).matches("[a-z_0-9]+"));
        }
    }
}
