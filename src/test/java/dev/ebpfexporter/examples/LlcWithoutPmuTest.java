package dev.ebpfexporter.examples;

import dev.ebpfexporter.collector.LoadedConfig;
import dev.ebpfexporter.collector.ProgramState;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * llc: on a machine without a hardware PMU (this VM, most CI) the config loads but its perf event
 * programs cannot attach; the exporter says why and keeps the configs beside it working. Where a
 * PMU exists, they attach.
 */
class LlcWithoutPmuTest {
    private static final String ATTACHED = "ebpf_exporter_ebpf_program_attached";

    @Test
    void loadsButDoesNotAttachWithoutPmuAndOthersKeepWorking() {
        if (hasHardwarePmu()) {
            // Nothing to refuse here: on a machine with a PMU every llc program must attach.
            try (InProcessExporter exporter = InProcessExporter.examples("llc")) {
                assertThat(config(exporter, "llc").programs()).allSatisfy(p -> assertThat(p.attached()).isTrue());
            }
            return;
        }
        try (InProcessExporter exporter = InProcessExporter.examples("llc", "syscalls")) {
            assertThat(exporter.failures()).as("a program that does not attach is no load failure").isEmpty();
            LoadedConfig llc = config(exporter, "llc");
            LoadedConfig syscalls = config(exporter, "syscalls");
            Samples samples = exporter.scrape();

            assertThat(llc.programs()).extracting(p -> p.program().name())
                    .containsExactlyInAnyOrder("llc_reference_sample", "llc_miss_sample");
            for (ProgramState program : llc.programs()) {
                assertThat(program.attached()).as(program.program().name()).isFalse();
                assertThat(program.error()).hasValueSatisfying(error -> assertThat(error)
                        .contains(program.program().name())
                        .contains("no such event on this machine")
                        .doesNotContain("\n"));
                assertThat(samples.value(ATTACHED, "id", Integer.toString(program.id()))).isZero();
                assertThat(samples.named(ATTACHED, Samples.where("id", Integer.toString(program.id())))).hasSize(1);
            }
            for (ProgramState program : syscalls.programs()) {
                assertThat(program.attached()).as(program.program().name()).isTrue();
                assertThat(samples.value(ATTACHED, "id", Integer.toString(program.id()))).isEqualTo(1);
            }
            assertThat(samples.named("ebpf_exporter_syscalls_total")).isNotEmpty();
            assertThat(samples.value("ebpf_exporter_enabled_configs", "name", "llc")).isEqualTo(1);
        }
    }

    private static LoadedConfig config(InProcessExporter exporter, String name) {
        List<LoadedConfig> matching = exporter.configs().stream().filter(c -> c.name().equals(name)).toList();
        assertThat(matching).as("config %s loaded", name).hasSize(1);
        return matching.getFirst();
    }

    /** A CPU PMU registers a perf event source named cpu (x86) or armv8_pmuv3 style (arm64). */
    private static boolean hasHardwarePmu() {
        Path cpu = Path.of("/sys/bus/event_source/devices/cpu");
        return Files.exists(cpu.resolve("events/cache-misses")) || Files.exists(cpu.resolve("events/cache-references"));
    }
}
