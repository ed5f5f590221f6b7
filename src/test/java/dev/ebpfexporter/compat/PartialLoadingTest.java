package dev.ebpfexporter.compat;

import dev.ebpfexporter.testing.LogCapture;
import dev.ebpfexporter.collector.ObjectLoader;
import dev.ebpfexporter.collector.ProgramState;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A config whose object has several programs the kernel refuses loads the rest, naming each refused one. */
class PartialLoadingTest {
    static final String YAML = TestPrograms.counter("survivor_execs_total",
            "Execs seen by the one program the verifier accepts");

    @Test
    void everyRefusedProgramIsExcludedAndNamedAndTheRestWorks(@TempDir Path dir) {
        try (LogCapture log = LogCapture.of(ObjectLoader.class);
             InProcessExporter exporter = TestPrograms.loaded(dir, "two", "refused_two", YAML)) {
            var programs = exporter.configs().getFirst().programs();
            assertThat(programs).filteredOn(ProgramState::attached).extracting(p -> p.program().name())
                    .containsExactly("survivor");
            assertThat(programs).filteredOn(p -> !p.attached()).extracting(p -> p.program().name())
                    .containsExactlyInAnyOrder("refused_first", "refused_second");
            assertThat(log.messages())
                    .anySatisfy(line -> assertThat(line).startsWith("config two: program refused_first refused by the kernel"))
                    .anySatisfy(line -> assertThat(line).startsWith("config two: program refused_second refused by the kernel"));
            TestPrograms.runTarget(1);
            Samples samples = exporter.scrape();
            assertThat(samples.sum("ebpf_exporter_survivor_execs_total")).isGreaterThanOrEqualTo(1.0);
        }
    }
}
