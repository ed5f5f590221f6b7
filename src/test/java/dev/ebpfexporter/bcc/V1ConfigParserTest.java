package dev.ebpfexporter.bcc;

import dev.ebpfexporter.config.BucketType;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.UnknownKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class V1ConfigParserTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        return Files.writeString(dir.resolve("c.yaml"), yaml);
    }

    @Test
    void everyAttachKindBecomesItsLibbpfSection() throws Exception {
        Path file = write("""
                programs:
                  - name: all
                    metrics:
                      histograms:
                        - name: lat
                          help: Latency
                          table: dist
                          bucket_type: linear
                          bucket_min: 1
                          bucket_max: 10
                          labels:
                            - {name: op, size: 1, padding: 3, decoders: [{name: static_map, static_map: {1: read}, allow_unknown: true}]}
                            - {name: bucket, size: 4, decoders: [{name: uint}]}
                    tracepoints:
                      sched:sched_switch: on_switch
                    raw_tracepoints:
                      sys_enter: on_enter
                    kprobes:
                      vfs_read: on_read
                    kretprobes:
                      vfs_read: on_read_ret
                    uprobes:
                      /usr/lib/libc.so.6:malloc: on_malloc
                    perf_events:
                      - type: 0x0
                        name: 0x3
                        target: on_miss
                        sample_frequency: 99
                      - type: 1
                        name: 0
                        target: on_clock
                        sample_period: 10000
                    cflags: [-DFOO=1]
                    code: |
                      int x;
                """);
        InlineProgram p = V1ConfigParser.parse(file).getFirst();
        assertThat(p.source().attachPoints()).extracting(AttachPoint::function, AttachPoint::section).containsExactly(
                org.assertj.core.groups.Tuple.tuple("on_switch", "tp/sched/sched_switch"),
                org.assertj.core.groups.Tuple.tuple("on_enter", "raw_tp/sys_enter"),
                org.assertj.core.groups.Tuple.tuple("on_read", "kprobe/vfs_read"),
                org.assertj.core.groups.Tuple.tuple("on_read_ret", "kretprobe/vfs_read"),
                org.assertj.core.groups.Tuple.tuple("on_malloc", "uprobe//usr/lib/libc.so.6:malloc"),
                org.assertj.core.groups.Tuple.tuple("on_miss", "perf_event/type=0,config=3,frequency=99"),
                org.assertj.core.groups.Tuple.tuple("on_clock", "perf_event/type=1,config=0,period=10000"));
        assertThat(p.source().attachPoints().getFirst().yamlLine()).isEqualTo(15);
        assertThat(p.source().cflags()).containsExactly("-DFOO=1");
        assertThat(p.source().firstLine()).isEqualTo(35);
        var h = p.histograms().getFirst();
        assertThat(h.bucketType()).isEqualTo(BucketType.LINEAR);
        assertThat(h.bucketMultiplier()).isEqualTo(1.0);
        assertThat(h.bucketMin()).isEqualTo(1);
        assertThat(h.labels().getFirst().width()).isEqualTo(4);
        assertThat(h.labels().getFirst().decoders().getFirst().staticMap()).containsEntry("1", "read");
        assertThat(h.labels().getFirst().decoders().getFirst().allowUnknown()).isTrue();
    }

    @Test
    void countersAndHistogramsTakeExpireAfterAndOverflowSeriesAsInV2() throws Exception {
        Path file = write("""
                programs:
                  - name: lifetimes
                    metrics:
                      counters:
                        - name: calls_total
                          help: Calls by pid
                          table: calls
                          expire_after: 10m
                          overflow_series: true
                          labels:
                            - {name: pid, size: 4, decoders: [{name: uint}]}
                      histograms:
                        - name: lat
                          help: Latency
                          table: dist
                          bucket_type: exp2
                          bucket_max: 3
                          expire_after: 90s
                          labels:
                            - {name: bucket, size: 4, decoders: [{name: uint}]}
                    tracepoints:
                      sched:sched_switch: on_switch
                    code: |
                      int x;
                """);
        InlineProgram p = V1ConfigParser.parse(file).getFirst();
        assertThat(p.counters().getFirst().series().expireAfter()).isEqualTo(java.time.Duration.ofMinutes(10));
        assertThat(p.counters().getFirst().series().overflowSeries()).isTrue();
        assertThat(p.histograms().getFirst().series().expireAfter()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThat(p.histograms().getFirst().series().overflowSeries()).isFalse();
    }

    @Test
    void unknownKeysNameFileAndLine() throws Exception {
        Path file = write("""
                programs:
                  - name: p
                    metrics:
                      counters:
                        - name: c
                          help: C
                          table: t
                          tabel: t
                    code: |
                      int x;
                """);
        assertThatThrownBy(() -> V1ConfigParser.parse(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ":8: programs[0].metrics.counters[0].tabel: unknown key \"tabel\" (did you mean \"table\"?)");
    }

    @Test
    void unknownKeysAreWarningsAndIgnoredUnlessStrict() throws Exception {
        Path file = write("""
                programs:
                  - name: p
                    owner: team-x
                    metrics:
                      counters:
                        - name: c
                          help: C
                          table: t
                          tabel: t
                    tracepoints: {sched:sched_switch: f}
                    code: |
                      int x;
                """);
        List<String> warnings = new java.util.ArrayList<>();
        List<InlineProgram> programs = V1ConfigParser.parse(file, UnknownKeys.warn(warnings::add));
        assertThat(programs).singleElement().satisfies(p -> assertThat(p.metrics()).singleElement()
                .satisfies(m -> assertThat(m.map()).isEqualTo("t")));
        assertThat(warnings).containsExactly(
                file + ":3: programs[0].owner: unknown key \"owner\" ignored (expected one of: cflags, code, kaddrs,"
                        + " kprobes, kretprobes, metrics, name, perf_events, raw_tracepoints, tracepoints, uprobes, uretprobes)",
                file + ":9: programs[0].metrics.counters[0].tabel: unknown key \"tabel\" ignored (did you mean \"table\"?)");
        assertThatThrownBy(() -> V1ConfigParser.parse(file, UnknownKeys.REFUSE))
                .hasMessage(file + ":3: programs[0].owner: unknown key \"owner\" (expected one of: cflags, code, kaddrs,"
                        + " kprobes, kretprobes, metrics, name, perf_events, raw_tracepoints, tracepoints, uprobes, uretprobes)");
    }

    @Test
    void missingFieldsAndBadShapesAreErrorsWithLines() throws Exception {
        Path noHelp = write("programs:\n  - name: p\n    metrics:\n      counters:\n        - name: c\n          table: t\n"
                + "    kprobes:\n      f: g\n    code: x\n");
        assertThatThrownBy(() -> V1ConfigParser.parse(noHelp)).hasMessage(noHelp + ":5: programs[0].metrics.counters[0].help: required key is missing");

        Path badTracepoint = write("programs:\n  - name: p\n    tracepoints:\n      timer_start: f\n    code: x\n");
        assertThatThrownBy(() -> V1ConfigParser.parse(badTracepoint))
                .hasMessage(badTracepoint + ":4: programs[0].tracepoints.timer_start: \"timer_start\" is not category:event");

        Path noAttach = write("programs:\n  - name: p\n    code: x\n");
        assertThatThrownBy(() -> V1ConfigParser.parse(noAttach)).hasMessageContaining(":2: programs[0]: has no tracepoints");

        Path perfMap = write("programs:\n  - name: p\n    metrics:\n      counters:\n        - name: c\n          help: h\n"
                + "          perf_map: events\n    kprobes:\n      f: g\n    code: x\n");
        assertThatThrownBy(() -> V1ConfigParser.parse(perfMap)).hasMessage(perfMap + ":7: programs[0].metrics.counters[0].perf_map: is not "
                + "supported (BPF_PERF_OUTPUT is not supported)");

        Path badYaml = write("programs:\n  - name: [\n");
        assertThatThrownBy(() -> V1ConfigParser.parse(badYaml)).hasMessageStartingWith(badYaml + ":3: invalid YAML");
    }

    @Test
    void labelsAreReadLikeV2Labels() throws Exception {
        // YAML 1.1 booleans, as the reference's Go YAML decoder reads them
        Path yes = write("programs:\n  - name: p\n    metrics:\n      counters:\n        - name: c\n          help: h\n"
                + "          table: t\n          labels:\n            - {name: a, size: 4, decoders: [{name: uint, allow_unknown: yes}]}\n"
                + "    kprobes: {f: g}\n    code: x\n");
        assertThat(V1ConfigParser.parse(yes).getFirst().counters().getFirst().labels().getFirst().decoders().getFirst()
                .allowUnknown()).isTrue();

        Path duplicate = write("programs:\n  - name: p\n    metrics:\n      counters:\n        - name: c\n          help: h\n"
                + "          table: t\n          labels:\n            - {name: a, size: 4}\n            - {name: a, size: 4}\n"
                + "    kprobes: {f: g}\n    code: x\n");
        assertThatThrownBy(() -> V1ConfigParser.parse(duplicate)).hasMessage(duplicate
                + ":10: programs[0].metrics.counters[0].labels[1].name: duplicate label name \"a\" (first on line 9)");

        Path decoderKey = write("programs:\n  - name: p\n    metrics:\n      counters:\n        - name: c\n          help: h\n"
                + "          table: t\n          labels:\n            - {name: a, size: 4, decoders: [{name: uint, static_mpa: {}}]}\n"
                + "    kprobes: {f: g}\n    code: x\n");
        assertThatThrownBy(() -> V1ConfigParser.parse(decoderKey)).hasMessage(decoderKey
                + ":9: programs[0].metrics.counters[0].labels[0].decoders[0].static_mpa: unknown key \"static_mpa\""
                + " (did you mean \"static_map\"?)");
    }

    @Test
    void duplicateProgramNamesAreRejected() throws Exception {
        Path file = write("programs:\n  - name: p\n    kprobes: {f: g}\n    code: x\n  - name: p\n    kprobes: {f: g}\n    code: y\n");
        assertThatThrownBy(() -> V1ConfigParser.parse(file)).hasMessage(file + ":5: programs[1].name: duplicate program name \"p\" (first on line 2)");
    }

    @Test
    void codeLinesMapToYamlLinesForEveryScalarStyle() throws Exception {
        Path file = write("programs:\n  - name: p\n    kprobes: {f: g}\n    code: \"int x;\"\n");
        assertThat(V1ConfigParser.parse(file).getFirst().source().firstLine()).isEqualTo(4);
        Path block = write("programs:\n  - name: p\n    kprobes: {f: g}\n    code: |\n\n      int x;\n");
        ProgramSource s = V1ConfigParser.parse(block).getFirst().source();
        assertThat(s.firstLine()).isEqualTo(5);
        assertThat(s.yamlLine(2)).isEqualTo(6);
        assertThat(List.of(s.code().split("\n", -1)).get(1)).isEqualTo("int x;");
    }
}
