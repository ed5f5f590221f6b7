package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.Change;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** syscalls: getpid() calls from this JVM are counted under their decoded syscall name. */
class SyscallCountsTest {
    private static final String NAME = "ebpf_exporter_syscalls_total";
    private static final int CALLS = 10_000;

    @Test
    void getpidCallsAreCountedByName() {
        try (InProcessExporter exporter = InProcessExporter.loadedExamples("syscalls")) {
            Change change = exporter.whileRunning(() -> Workloads.getpidLoop(CALLS), CALLS, NAME, "syscall", "getpid");
            // Names, not numbers: every syscall the machine made decodes through the kernel's table.
            assertThat(change.after().named(NAME)).extracting(s -> s.label("syscall"))
                    .contains("read", "getpid")
                    .allSatisfy(name -> assertThat(name).matches("[a-z_0-9]+"));
        }
    }
}
