package dev.ebpfexporter.bcc;

import dev.ebpfexporter.config.BucketType;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.config.HistogramConfig;
import dev.ebpfexporter.testing.InlinePrograms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InlineConfigsTest {
    @TempDir
    Path dir;

    @Test
    void timersConfigFromTheSpecCompilesAndLoads() throws Exception {
        Path yaml = TestCompilers.resource("timers.yaml");
        assertThat(InlineConfigs.isInlineFormat(yaml)).isTrue();
        List<ExporterConfig> configs = new InlineConfigs(TestCompilers.compiler()).read(yaml);

        assertThat(configs).hasSize(1);
        ExporterConfig config = configs.getFirst();
        assertThat(config.name()).isEqualTo("timers");
        assertThat(config.file()).isEqualTo(yaml);
        assertThat(config.counters()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("timer_start_total");
            assertThat(c.map()).isEqualTo("counts");
            assertThat(c.help()).isEqualTo("Timers fired in the kernel");
            assertThat(c.labels()).singleElement().satisfies(l -> {
                assertThat(l.name()).isEqualTo("function");
                assertThat(l.size()).isEqualTo(8);
                assertThat(l.decoders()).singleElement().satisfies(d -> assertThat(d.name()).isEqualTo("ksym"));
            });
            assertThat(c.source().line()).isEqualTo(5);
        });
        Path object = config.objectFile();
        assertThat(object).isRegularFile();
        String sections = BpfEnvironment.output(List.of("llvm-objdump", "-h", object.toString()));
        assertThat(sections).contains("tp/timer/timer_start").contains(".maps");
        BpfEnvironment.assertLoads(object);
    }

    @Test
    void biolatencyStyleHistogramOnBlockTracepointsCompilesAndLoads() throws Exception {
        Path yaml = TestCompilers.resource("biolatency.yaml");
        List<ExporterConfig> configs = new InlineConfigs(TestCompilers.compiler()).read(yaml);

        HistogramConfig h = configs.getFirst().histograms().getFirst();
        assertThat(h.map()).isEqualTo("dist");
        assertThat(h.bucketType()).isEqualTo(BucketType.EXP2);
        assertThat(h.bucketMax()).isEqualTo(26);
        assertThat(h.bucketMultiplier()).isEqualTo(0.000001);
        String sections = BpfEnvironment.output(List.of("llvm-objdump", "-h", configs.getFirst().objectFile().toString()));
        assertThat(sections).contains("tp/block/block_rq_issue").contains("tp/block/block_rq_complete");
        BpfEnvironment.assertLoads(configs.getFirst().objectFile());
    }

    @Test
    void severalProgramsGiveOneConfigEachNamedFileSlashProgram() throws Exception {
        Path yaml = dir.resolve("multi.yaml");
        Files.writeString(yaml, "programs:\n" + InlinePrograms.syscallCounter("first", "a_total") + """
                  - name: second
                    metrics:
                      counters:
                        - {name: b_total, help: B, table: b}
                    raw_tracepoints:
                      sys_exit: count_b
                    kaddrs: [jiffies]
                    code: |
                      BPF_PERCPU_ARRAY(b);
                      int count_b(void *ctx) {
                          u32 key = 0;
                          u64 *v = b.lookup(&key);
                          if (v) *v += kaddr_jiffies != 0;
                          return 0;
                      }
                """);
        List<ExporterConfig> configs = new InlineConfigs(TestCompilers.compiler()).read(yaml);
        assertThat(configs).extracting(ExporterConfig::name).containsExactly("multi/first", "multi/second");
        assertThat(configs.get(1).kaddrs()).containsExactly("jiffies");
        for (ExporterConfig c : configs) {
            BpfEnvironment.assertLoads(c.objectFile());
        }
    }

    @Test
    void unsupportedMacroNamesTheYamlLine() throws Exception {
        Path yaml = TestCompilers.config(dir, "perf", "tracepoints:\n  timer:timer_start: tracepoint__timer__timer_start",
                """
                BPF_HASH(counts, u64);
                BPF_PERF_OUTPUT(events);
                TRACEPOINT_PROBE(timer, timer_start) {
                    return 0;
                }""");
        assertThatThrownBy(() -> new InlineConfigs(TestCompilers.compiler()).read(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage(yaml + ":9: program \"perf\": BPF_PERF_OUTPUT is not supported");
    }

    @Test
    void tableMissingFromTheCodeIsAnError() throws Exception {
        Path yaml = dir.resolve("t.yaml");
        Files.writeString(yaml, """
                programs:
                  - name: t
                    metrics:
                      counters:
                        - name: x_total
                          help: X
                          table: nope
                    raw_tracepoints:
                      sys_enter: f
                    code: |
                      BPF_HASH(counts);
                      int f(void *ctx) { return 0; }
                """);
        assertThatThrownBy(() -> new InlineConfigs(TestCompilers.compiler()).read(yaml))
                .hasMessageStartingWith(yaml + ":5: program \"t\": table \"nope\"");
    }

    @Test
    void v2FilesAreNotInline() throws Exception {
        Path yaml = dir.resolve("v2.yaml");
        Files.writeString(yaml, "metrics:\n  counters: []\n");
        assertThat(InlineConfigs.isInlineFormat(yaml)).isFalse();
    }
}
