package dev.ebpfexporter.bpf.link;

import dev.ebpfexporter.bpf.SectionType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one table of attach kinds: lookups by section, what libbpf is taught, the inline forms. */
class AttachKindTableTest {

    @Test
    void theFirstRowWhosePrefixStartsTheSectionWinsElseLibbpfAttaches() {
        assertThat(AttachKinds.of("tp/sched/sched_switch").prefix()).isEqualTo("tp/");
        assertThat(AttachKinds.of("tracepoint/sched/sched_switch").tracefs()).isTrue();
        assertThat(AttachKinds.of("tp_btf/sched_switch").prefix()).isEmpty(); // not "tp/": libbpf's own
        assertThat(AttachKinds.of("tp_btf/sched_switch").tracefs()).isFalse();
        assertThat(AttachKinds.of("fentry/vfs_read").prefix()).isEmpty();
        assertThat(AttachKinds.of(null).prefix()).isEmpty();
        assertThat(AttachKinds.of("perf_event/type=1,config=0,frequency=99").prefix()).isEqualTo("perf_event/");
        assertThat(AttachKinds.of("perf_event").prefix()).isEmpty(); // bare: libbpf knows it
        assertThat(AttachKinds.of("xdp/lo").prefix()).isEqualTo("xdp/");
    }

    @Test
    void onlyEntryProbesGetTheProbedFunctionsArguments() {
        assertThat(AttachKinds.of("kprobe/vfs_read").typedArguments()).isTrue();
        assertThat(AttachKinds.of("uprobe//usr/lib/libc.so.6:malloc").typedArguments()).isTrue();
        assertThat(AttachKinds.of("kretprobe/vfs_read").typedArguments()).isFalse();
        assertThat(AttachKinds.of("uretprobe//usr/lib/libc.so.6:malloc").typedArguments()).isFalse();
        assertThat(AttachKinds.of("tp/sched/sched_switch").typedArguments()).isFalse();
    }

    @Test
    void libbpfIsTaughtThePrefixesItDoesNotKnowWithTheirKernelTypes() {
        // enum bpf_prog_type BPF_PROG_TYPE_PERF_EVENT = 7, BPF_PROG_TYPE_XDP = 6;
        // enum bpf_attach_type BPF_PERF_EVENT = 41, BPF_XDP = 37.
        assertThat(AttachKinds.sectionTypes()).containsExactly(
                new SectionType("perf_event/", 7, 41), new SectionType("xdp/", 6, 37));
    }

    @Test
    void inlineFormsComeInTheOrderTheInlineFormatAttachesThem() {
        List<String> keys = AttachKinds.all().stream().flatMap(k -> k.inline().stream()).map(InlineForm::yamlKey)
                .toList();
        assertThat(keys).containsExactly("tracepoints", "raw_tracepoints", "kprobes", "kretprobes", "uprobes",
                "uretprobes", "perf_events");
    }

    @Test
    void keyedInlineFormsMakeTheSectionOrRefuseTheShape() {
        assertThat(section("tracepoints", "sched:sched_switch")).isEqualTo("tp/sched/sched_switch");
        assertThat(section("tracepoints", "sched_switch")).isNull();
        assertThat(section("tracepoints", "a:b:c")).isNull();
        assertThat(section("tracepoints", ":b")).isNull();
        assertThat(section("kprobes", "vfs_read")).isEqualTo("kprobe/vfs_read");
        assertThat(section("uretprobes", "/bin/bash:readline")).isEqualTo("uretprobe//bin/bash:readline");
        assertThat(section("uprobes", "malloc")).isNull();
        // Every section an inline form makes is attached by the row of that form.
        for (AttachKind kind : AttachKinds.all()) {
            if (kind.inline().orElse(null) instanceof InlineForm.Keyed keyed && !keyed.yamlKey().equals("tracepoints")) {
                assertThat(AttachKinds.of(keyed.section().apply("a:b"))).isEqualTo(kind);
            }
        }
        assertThat(AttachKinds.of(section("tracepoints", "a:b"))).isEqualTo(AttachKinds.all().getFirst());
    }

    @Test
    void aPerfEventSectionIsReadBackAsWritten() throws Exception {
        for (PerfEventSection event : List.of(new PerfEventSection(0, 3, 99, 0), new PerfEventSection(1, 0, 0, 10_000))) {
            assertThat(PerfEventSection.parse(event.section())).isEqualTo(event);
            assertThat(AttachKinds.of(event.section()).prefix()).isEqualTo(PerfEventSection.PREFIX);
        }
        assertThat(new PerfEventSection(0, 3, 99, 0).section()).isEqualTo("perf_event/type=0,config=3,frequency=99");
    }

    private static String section(String yamlKey, String where) {
        InlineForm.Keyed form = AttachKinds.all().stream().flatMap(k -> k.inline().stream())
                .filter(f -> f.yamlKey().equals(yamlKey)).map(InlineForm.Keyed.class::cast).findFirst().orElseThrow();
        return form.section().apply(where);
    }
}
