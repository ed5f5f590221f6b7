package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.Change;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples that count one kind of event by one label: a workload's events are counted under the
 * value it causes, and every value the label takes is well formed (a name, not a number or raw bytes).
 */
class CountedByLabelTest {
    /**
     * @param events how many the workload causes, at least
     * @param seen values that must be among the label's (the workload's, and any others every machine makes)
     * @param wellFormed what every value of the label matches
     */
    record Case(String example, String metric, Runnable workload, int events, String label, String value,
                String[] seen, String wellFormed) {
        @Override
        public String toString() {
            return example;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // Each run of /bin/true is one exec, counted under its command (a comm: 1 to 15 bytes, no NUL).
                new Case("exec", "ebpf_exporter_execs_total", () -> Workloads.execLoop("/bin/true", 5), 5,
                        "command", "true", new String[] {"true"}, "[^\\x00]{1,15}"),
                // getpid() calls of this JVM; names, not numbers: every syscall decodes through the kernel's table.
                new Case("syscalls", "ebpf_exporter_syscalls_total", () -> Workloads.getpidLoop(10_000), 10_000,
                        "syscall", "getpid", new String[] {"read", "getpid"}, "[a-z_0-9]+"),
                // getaddrinfo() calls in libc, from any process that loads it, counted by command.
                new Case("uprobe", "ebpf_exporter_libc_getaddrinfo_calls_total", () -> {
                    Workloads.runOk("getent", "ahosts", "localhost");
                    Workloads.runOk("getent", "ahosts", "localhost");
                }, 2, "command", "getent", new String[] {"getent"}, "[^\\x00]{1,15}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theWorkloadIsCountedUnderItsValue(Case c) {
        try (InProcessExporter exporter = InProcessExporter.loadedExamples(c.example())) {
            Change change = exporter.whileRunning(c.workload(), c.events(), c.metric(), c.label(), c.value());
            assertThat(change.after().named(c.metric())).extracting(s -> s.label(c.label()))
                    .contains(c.seen())
                    .allSatisfy(value -> assertThat(value).matches(c.wellFormed()));
        }
    }
}
