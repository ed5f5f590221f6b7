package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import dev.ebpfexporter.testing.Workloads.Cgroup;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * oomkill: a process out of memory in a 16 MiB cgroup is killed, and the event names its command.
 * The program counts every OOM kill on the machine, so the victim runs under a command name of its own.
 */
class OomKillsTest {
    private static final String NAME = "ebpf_exporter_oom_kills_total";

    @Test
    void oomKillInSmallCgroupIsCountedByCommand() {
        try (InProcessExporter exporter = InProcessExporter.loadedExamples("oomkill");
             Cgroup cgroup = Workloads.memoryCgroup("oom", 16L << 20)) {
            Samples before = exporter.scrape();

            String command = "oomvictim" + ProcessHandle.current().pid() % 100_000;
            Workloads.Result result = Workloads.oomInside(cgroup, command);
            assertThat(result.exitCode()).as("perl killed by SIGKILL: %s", result.output()).isEqualTo(137);

            // The event comes through the perf buffer, polled in the background.
            Samples after = exporter.scrapeUntil(Duration.ofSeconds(10),
                    s -> s.increaseSince(before, NAME, "command", command) >= 1);
            assertThat(after.increaseSince(before, NAME, "command", command)).isEqualTo(1);
            assertThat(after.sum("ebpf_exporter_decoder_errors_total")).isZero();
        }
    }
}
