package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.Change;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** exec: each run of /bin/true is one exec counted under command="true". */
class ExecCountsByCommandTest {
    private static final String NAME = "ebpf_exporter_execs_total";
    private static final int RUNS = 5;

    @Test
    void everyExecIsCountedUnderItsCommandName() {
        try (InProcessExporter exporter = InProcessExporter.loadedExamples("exec")) {
            Change change = exporter.whileRunning(() -> Workloads.execLoop("/bin/true", RUNS), RUNS, NAME, "command", "true");
            assertThat(change.after().named(NAME)).extracting(s -> s.label("command"))
                    .allSatisfy(command -> assertThat(command).hasSizeBetween(1, 15).doesNotContain("\0"));
        }
    }
}
