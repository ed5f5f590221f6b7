package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.TimerStarts;
import org.junit.jupiter.api.Test;

/** timers: kernel timer starts counted by the callback's function name, resolved through kallsyms. */
class TimersExampleTest {
    @Test
    void countsKernelTimersByCallbackName() {
        try (InProcessExporter exporter = InProcessExporter.loadedExamples("timers")) {
            TimerStarts.assertCountedByKernelFunction(exporter, "ebpf_exporter_timer_starts_total");
        }
    }
}
