package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** cpu-profile: time spent in system calls shows up as cpu-clock samples of syscall kernel stacks. */
class KernelCpuProfileTest {
    private static final String NAME = "ebpf_exporter_kernel_stack_samples_total";
    static final String FRAME = "[A-Za-z_][A-Za-z0-9_.$]*(\t\\[[A-Za-z0-9_.-]+\\])?|\\?\\?";
    private static final Predicate<Samples.Sample> IN_SYSCALL = s -> s.label("kstack").contains("do_syscall_64");

    @Test
    void busyKernelTimeIsSampledWithSymbolizedStacks() {
        try (InProcessExporter exporter = InProcessExporter.loadedExamples("cpu-profile")) {
            Samples before = exporter.scrape();

            Samples after = before;
            for (int round = 0; round < 10 && after.increaseSince(before, NAME, IN_SYSCALL) < 10; round++) {
                Workloads.kernelBusyLoop(Duration.ofMillis(500));
                after = exporter.scrape();
            }
            assertThat(after.increaseSince(before, NAME, IN_SYSCALL)).as("samples in system calls")
                    .isGreaterThanOrEqualTo(10);
            assertThat(after.increaseSince(before, NAME, s -> true)).as("all samples").isGreaterThanOrEqualTo(10);
            // Stacks are symbol names, innermost first, one frame per line. Symbols of modules and of
            // BPF programs (other tools may have some loaded) keep kallsyms' "\t[module]" suffix.
            assertThat(after.named(NAME, IN_SYSCALL)).extracting(s -> s.label("kstack"))
                    .allSatisfy(stack -> assertThat(stack.split("\n"))
                            .allSatisfy(frame -> assertThat(frame).matches(FRAME)));
        }
    }

    @Test
    void framesOfModulesAndOtherBpfProgramsAreValidFrames() {
        assertThat(List.of("do_syscall_64", "??", "bpf_prog_6deef7357e7b4530_sys_exit\t[bpf]",
                "nf_conntrack_in\t[nf_conntrack]", "__x64_sys_getpid.cold")).allSatisfy(f -> assertThat(f).matches(FRAME));
        assertThat(List.of("", "a;b", "sym [bpf]", "sym\t[]")).allSatisfy(f -> assertThat(f).doesNotMatch(FRAME));
    }
}
