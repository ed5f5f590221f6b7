package dev.ebpfexporter.compat;

import dev.ebpfexporter.bpf.link.PostAttachMark;
import dev.ebpfexporter.bpf.sys.NativeLibraries;
import dev.ebpfexporter.collector.ProgramState;
import dev.ebpfexporter.testing.InProcessExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference's {@code SEC("uprobe//proc/self/exe:post_attach_mark")}: the program attaches (to the
 * function in our library, /proc/self/exe being the JVM) and runs once, after every config is attached,
 * so the first scrape already shows what it set.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PostAttachMarkTest {
    @Test
    void aProgramOnPostAttachMarkRunsOnceAfterEveryConfigIsAttached(@TempDir Path dir) {
        assertThat(NativeLibraries.find(PostAttachMark.LIBRARY)).as("the library the build makes").isPresent();
        try (InProcessExporter exporter = InProcessExporter.load(TestPrograms.config(dir, "mark", "post_attach_mark",
                TestPrograms.POST_ATTACH_MARK_YAML),
                "mark")) {
            assertThat(exporter.failures()).isEmpty();
            ProgramState program = exporter.configs().getFirst().programs().getFirst();
            assertThat(program.program().section()).isEqualTo("uprobe//proc/self/exe:post_attach_mark");
            assertThat(program.attached()).as("attached; error: %s", program.error()).isTrue();
            assertThat(exporter.scrape().sum("ebpf_exporter_post_attach_marks_total")).isEqualTo(1.0);
        }
    }
}
