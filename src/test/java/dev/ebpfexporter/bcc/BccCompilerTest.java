package dev.ebpfexporter.bcc;

import dev.ebpfexporter.bpf.sys.NativeLibraries;
import dev.ebpfexporter.testing.DwarfSources;
import dev.ebpfexporter.testing.LogCapture;
import dev.ebpfexporter.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BccCompilerTest {
    @TempDir
    Path dir;

    private static ProgramSource program(Path yaml, String code, List<AttachPoint> attach) {
        return new ProgramSource(yaml, "p", code, 8, attach, List.of(), List.of());
    }

    @Test
    void everyMapKindAndMethodCompilesAndLoads() throws Exception {
        String code = """
                #include <linux/sched.h>
                struct key_t {
                    u32 pid;
                    char comm[16];
                };
                BPF_HASH(start, u32);
                BPF_HASH(by_comm, struct key_t, u64, 1024);
                BPF_ARRAY(totals, u64, 4);
                BPF_PERCPU_ARRAY(per_cpu);
                BPF_PERCPU_HASH(per_cpu_hash, u32, u32);
                BPF_HISTOGRAM(dist);
                BPF_HISTOGRAM(dist_by_cpu, struct key_t, 128);
                BPF_TABLE("lru_hash", u32, u64, recent, 512);

                int on_enter(struct bpf_raw_tracepoint_args *ctx) {
                    u32 pid = bpf_get_current_pid_tgid() >> 32;
                    u64 ts = bpf_ktime_get_ns(), zero = 0;
                    u64 *seen = recent.lookup_or_try_init(&pid, &zero);
                    if (seen)
                        *seen += 1;
                    start.update(&pid, &ts);
                    recent.insert(&pid, &ts);
                    per_cpu_hash.increment(pid, 3);
                    per_cpu.atomic_increment(0);
                    totals.increment(1);
                    return 0;
                }

                int on_exit(void *ctx) {
                    u32 pid = bpf_get_current_pid_tgid() >> 32;
                    u64 *tsp = start.lookup(&pid);
                    struct key_t key = {};
                    if (!tsp)
                        return 0;
                    key.pid = pid;
                    bpf_get_current_comm(&key.comm, sizeof(key.comm));
                    by_comm.increment(key);
                    dist.increment(bpf_log2l(bpf_ktime_get_ns() - *tsp));
                    dist_by_cpu.increment(key, bpf_log2(pid));
                    start.delete(&pid);
                    lock_xadd(tsp, 1);
                    return 0;
                }

                int on_switch(struct pt_regs *ctx, struct task_struct *prev) {
                    u32 pid = BPF_CORE_READ(prev, pid);
                    start.delete(&pid);
                    return 0;
                }
                """;
        ProgramSource source = program(dir.resolve("all.yaml"), code, List.of(
                new AttachPoint("on_enter", "raw_tp/sys_enter", 1),
                new AttachPoint("on_exit", "raw_tp/sys_exit", 2),
                new AttachPoint("on_exit", "tp/sched/sched_process_exit", 3),
                new AttachPoint("on_switch", "kprobe/finish_task_switch", 4)));
        BccCompiler.Compiled compiled = TestCompilers.compiler().compileDetailed(source);
        String sections = BpfEnvironment.output(List.of("llvm-objdump", "-h", compiled.objectFile().toString()));
        assertThat(sections).contains("raw_tp/sys_enter", "raw_tp/sys_exit", "tp/sched/sched_process_exit",
                "kprobe/finish_task_switch");
        BpfEnvironment.assertLoads(compiled.objectFile());
    }

    @Test
    void perfEventAndUprobeSectionsComeFromTheYaml() throws Exception {
        String code = """
                BPF_ARRAY(samples, u64, 1);
                int on_sample(struct bpf_perf_event_data *ctx) {
                    samples.increment(0, ctx->sample_period);
                    return 0;
                }
                int on_malloc(struct pt_regs *ctx, size_t size) {
                    samples.increment(0, size);
                    return 0;
                }
                """;
        ProgramSource source = program(dir.resolve("pe.yaml"), code, List.of(
                new AttachPoint("on_sample", "perf_event/type=0,config=3,frequency=99", 1),
                new AttachPoint("on_malloc", "uprobe/libc.so.6:malloc", 2)));
        Path object = TestCompilers.compiler().compile(source);
        String sections = BpfEnvironment.output(List.of("llvm-objdump", "-h", object.toString()));
        assertThat(sections).contains("perf_event/type=0,config=3,frequency=99", "uprobe/libc.so.6:malloc");
    }

    /** The inline format needs no host libbpf-dev: libbpf's headers come from the libbpf we ship. */
    @Test
    void libbpfHeadersComeFromOurLibbpfNotTheHosts() throws Exception {
        Path ours = NativeLibraries.headers().orElseThrow().resolve("bpf").toRealPath();
        ProgramSource source = program(dir.resolve("headers.yaml"), """
                BPF_ARRAY(calls, u64, 1);
                int on_enter(void *ctx) {
                    calls.increment(0);
                    return 0;
                }
                """, List.of(new AttachPoint("on_enter", "raw_tp/sys_enter", 1)));
        Path object = TestCompilers.compiler().compile(source);
        List<Path> fromLibbpf = DwarfSources.of(object).stream()
                .filter(file -> file.getFileName().toString().startsWith("bpf_helper")).toList();
        assertThat(fromLibbpf).as("bpf_helpers.h, bpf_helper_defs.h in %s", object).isNotEmpty()
                .allSatisfy(header -> assertThat(header.getParent().toRealPath()).isEqualTo(ours));
    }

    @Test
    void secondCompileIsACacheHitThatSkipsClangAndSaysSo() throws Exception {
        try (LogCapture log = LogCapture.of(BccCompiler.class)) {
            // A comment unique to this run makes the first compile a miss even in a warm cache.
            String code = "// run " + System.nanoTime() + "\nBPF_HASH(counts);\n"
                    + "TRACEPOINT_PROBE(timer, timer_start) {\n    counts.increment((u64) args->function);\n    return 0;\n}\n";
            ProgramSource source = program(dir.resolve("cache.yaml"), code,
                    List.of(new AttachPoint("tracepoint__timer__timer_start", "tp/timer/timer_start", 1)));
            BccCompiler compiler = TestCompilers.compiler();
            compiler.compile(program(dir.resolve("warmup.yaml"), "int x;", List.of()));

            long t0 = System.nanoTime();
            BccCompiler.Compiled cold = compiler.compileDetailed(source);
            long coldNanos = System.nanoTime() - t0;
            long t1 = System.nanoTime();
            BccCompiler.Compiled warm = compiler.compileDetailed(source);
            long warmNanos = System.nanoTime() - t1;

            System.out.printf("bcc compile: cold %.1f ms, cached %.1f ms%n", coldNanos / 1e6, warmNanos / 1e6);
            assertThat(cold.cached()).isFalse();
            assertThat(warm.cached()).isTrue();
            assertThat(warm.objectFile()).isEqualTo(cold.objectFile());
            assertThat(warmNanos).isLessThan(coldNanos);
            assertThat(log.messages())
                    .anyMatch(m -> m.contains("cache hit") && m.contains(cold.objectFile().toString()));
        }
    }

    @Test
    void clangErrorsPointAtTheYamlLine() throws Exception {
        Path yaml = TestCompilers.config(dir, "broken", "raw_tracepoints:\n  sys_enter: f", """
                BPF_HASH(counts);

                int f(void *ctx) {
                    u64 key = not_declared_anywhere;
                    counts.increment(key);
                    return 0;
                }""");
        assertThatThrownBy(() -> new InlineConfigs(TestCompilers.compiler()).read(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(yaml + ":11: program \"broken\": use of undeclared identifier "
                        + "'not_declared_anywhere'");
    }

    @Test
    void clangErrorsAfterMultiLineRewritesStillPointAtTheYamlLine() throws Exception {
        Path yaml = TestCompilers.config(dir, "broken2", "raw_tracepoints:\n  sys_enter: f", """
                BPF_HASH(counts,
                         u64,
                         u64);
                BPF_HISTOGRAM(dist);
                int f(void *ctx) {
                    dist.increment(bpf_log2l(
                        1));
                    counts.increment(0, 1 +
                        missing_thing);
                    return 0;
                }""");
        assertThatThrownBy(() -> new InlineConfigs(TestCompilers.compiler()).read(yaml))
                .hasMessageStartingWith(yaml + ":16: program \"broken2\": use of undeclared identifier 'missing_thing'");
    }

    @Test
    void unwritableCacheDirectoryFallsBackToTheTempDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        ObjectCache cache = ObjectCache.at(file.resolve("cache"));
        assertThat(cache.dir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "ebpf-exporter-bcc-0"));
    }

    @Test
    void bccLog2HelpersMatchBccsResults() throws Exception {
        String prelude = BccPrelude.text(program(dir.resolve("x.yaml"), "", List.of()), List.of());
        String helpers = prelude.substring(prelude.indexOf("/* floor(log2(v))"));
        Path c = dir.resolve("log2.c");
        Files.writeString(c, """
                #include <stdio.h>
                typedef unsigned int u32;
                typedef unsigned long long u64;
                #define __always_inline inline __attribute__((always_inline))
                %s
                int main(void) {
                    unsigned long l[] = {0, 1, 2, 3, 4, 7, 8, 1000, 1UL << 31, 1UL << 32, (1UL << 32) + 5, 1UL << 63, ~0UL};
                    unsigned int i[] = {0, 1, 2, 3, 255, 256, 65535, 65536, 1U << 31, ~0U};
                    for (int k = 0; k < 13; k++) printf("%%u ", bpf_log2l(l[k]));
                    printf("|");
                    for (int k = 0; k < 10; k++) printf(" %%u", bpf_log2(i[k]));
                    printf("\\n");
                    return 0;
                }
                """.formatted(helpers));
        Path exe = dir.resolve("log2");
        BpfEnvironment.output(List.of("clang", "-O1", "-o", exe.toString(), c.toString()));
        assertThat(BpfEnvironment.output(List.of(exe.toString())).strip())
                .isEqualTo("1 1 2 2 3 3 4 10 32 33 33 64 64 | 0 0 1 1 7 8 15 16 31 31");
    }
}
