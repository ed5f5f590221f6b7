package dev.ebpfexporter.examples;

import dev.ebpfexporter.collector.LoadedConfig;
import dev.ebpfexporter.collector.ProgramState;
import dev.ebpfexporter.testing.Attachment;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.KernelFeatures;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * fsync-latency (fentry/fexit, kprobe/kretprobe fallback): where either pair attaches, each fsync is
 * observed once; where neither can (no kprobes, fentry refused: this project's VMs), every program is
 * reported as not attached with its reason and the config stays loaded.
 */
class FsyncLatencyTest {
    private static final String COUNT = "ebpf_exporter_fsync_latency_seconds_count";
    private static final int CALLS = 20;

    @Test
    void fsyncCallsAreTimedByWhicheverPairAttaches() {
        try (InProcessExporter exporter = InProcessExporter.loadedExamples("fsync-latency")) {
            LoadedConfig config = Attachment.config(exporter, "fsync-latency");
            boolean fentry = attached(config, "fsync_fentry") && attached(config, "fsync_fexit");
            boolean kprobe = attached(config, "fsync_kprobe") && attached(config, "fsync_kretprobe");
            if (KernelFeatures.kprobes()) {
                assertThat(fentry || kprobe).as("a kernel with kprobes attaches at least the kprobe pair").isTrue();
            }
            if (!fentry && !kprobe) {
                for (String program : new String[] {"fsync_fentry", "fsync_fexit"}) {
                    Attachment.assertNotAttachedBecause(Attachment.program(config, program), Attachment.REFUSED);
                    // With the kernel's reason, not only the fact of the refusal.
                    assertThat(Attachment.program(config, program).error()).hasValueSatisfying(error -> assertThat(error)
                            .contains("program " + program).contains("does not allow fentry/fexit programs"));
                }
                Attachment.assertNotAttachedBecause(Attachment.program(config, "fsync_kprobe"), Attachment.NO_KPROBES);
                Attachment.assertNotAttachedBecause(Attachment.program(config, "fsync_kretprobe"), Attachment.NO_KPROBES);
                assertThat(exporter.scrape().sum(COUNT)).isZero();
                return;
            }
            Samples before = exporter.scrape();
            Workloads.fsyncLoop(CALLS);
            Samples after = exporter.scrapeUntil(Duration.ofSeconds(10), s -> s.increaseSince(before, COUNT) >= CALLS);
            // Other processes may fsync too, but never is one call counted by both pairs.
            assertThat(after.increaseSince(before, COUNT)).isGreaterThanOrEqualTo(CALLS).isLessThan(CALLS * 2);
        }
    }

    private static boolean attached(LoadedConfig config, String program) {
        ProgramState state = Attachment.program(config, program);
        return state.attached();
    }
}
