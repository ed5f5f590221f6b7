package dev.ebpfexporter.kernelmatrix;

import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the kernel matrix runs in the guest and how the host judges it, without booting anything. */
class GuestTestsTest {
    @Test
    void everyBundledExampleHasItsOwnTestInTheMatrix() throws Exception {
        Set<String> examples;
        try (Stream<Path> files = Files.list(BpfAvailability.examples())) {
            examples = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length())).collect(Collectors.toSet());
        }
        assertThat(examples).hasSize(18);
        assertThat(GuestTests.EXAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(examples);
        for (String test : GuestTests.CLASSES) {
            assertThat(Class.forName(test)).as(test).isNotNull();
        }
    }

    @Test
    void anExampleSharingATestClassIsJudgedByItsOwnInvocation() {
        String counted = GuestTests.EXAMPLES.get("exec");
        assertThat(GuestTests.EXAMPLES.get("syscalls")).isEqualTo(counted);
        GuestTests.Results results = new GuestTests.Results(Map.of(
                counted, List.of(new GuestTests.Outcome("exec", true, "passed"),
                        new GuestTests.Outcome("syscalls", false, "FAILED: expected 10000")),
                GuestTests.EXAMPLES.get("timers"), List.of(new GuestTests.Outcome("armedTimers()", true, "passed"))));

        assertThat(results.exampleCell("exec").moved()).isTrue();
        assertThat(results.exampleCell("syscalls")).satisfies(cell -> {
            assertThat(cell.moved()).isFalse();
            assertThat(cell.detail()).isEqualTo("syscalls FAILED: expected 10000");
        });
        assertThat(results.exampleCell("timers").moved()).isTrue();
        assertThat(results.exampleCell("biolatency").detail()).startsWith("no test of");
    }

    @Test
    void factsTravelFromGuestToHostAndDecideUnsupportedCells() {
        GuestFacts facts = GuestFacts.parse(List.of(GuestFacts.HARDWARE_PMU + "\tno",
                GuestFacts.BPF_COOKIES + "\tno", GuestFacts.DIRTY_FOLIO_TRACEPOINT + "\tyes",
                GuestFacts.FSYNC_CALLS_VFS_FSYNC_RANGE + "\tno"));
        assertThat(GuestFacts.parse(facts.lines().lines().toList())).isEqualTo(facts);
        KernelSupport support = new KernelSupport(Set.of("CONFIG_KPROBES"), facts);

        assertThat(support.missing("example llc")).hasValue("no " + GuestFacts.HARDWARE_PMU);
        assertThat(support.missing("example page-cache")).isEmpty();
        assertThat(support.missing("example biolatency")).isEmpty();
        assertThat(support.missing("kprobe.multi")).hasValue("CONFIG_FPROBE off");
        assertThat(support.missing("example tcp-connect")).isEmpty();
        assertThat(support.missing("example fsync-latency")).hasValue("no: " + GuestFacts.FSYNC_CALLS_VFS_FSYNC_RANGE);
        assertThat(support.attachesButCannotMove("example fsync-latency")).isTrue();
        assertThat(support.attachesButCannotMove("example llc")).isFalse();
        assertThat(support.missing("usdt")).hasValue("CONFIG_UPROBE_EVENTS off");
        assertThat(new KernelSupport(Set.of("CONFIG_UPROBE_EVENTS"), facts).missing("usdt"))
                .hasValue("no " + GuestFacts.BPF_COOKIES);
        assertThat(new KernelSupport(Set.of("CONFIG_UPROBE_EVENTS"), facts).missing("uprobe")).isEmpty();
        assertThatThrownBy(() -> new KernelSupport(Set.of(), GuestFacts.parse(List.of())).missing("example llc"))
                .hasMessageContaining("did not report");
        assertThatThrownBy(() -> GuestFacts.parse(List.of("pmu maybe"))).hasMessageContaining("not a fact line");
    }
}
