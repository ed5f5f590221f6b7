package dev.ebpfexporter.bcc;

import dev.ebpfexporter.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BccRewriterTest {
    private static final Path YAML = Path.of("/etc/ebpf/x.yaml");

    private static ProgramSource program(String code, AttachPoint... attach) {
        return new ProgramSource(YAML, "p", code, 20, List.of(attach), List.of(), List.of());
    }

    private static RewrittenProgram rewrite(String code, AttachPoint... attach) throws ConfigException {
        return BccRewriter.rewrite(program(code, attach), new FixedTracepointTypes());
    }

    /** The rewritten user code, from the first #line on. */
    private static String body(String code, AttachPoint... attach) throws ConfigException {
        String source = rewrite(code, attach).source();
        return source.substring(source.indexOf("#line 20"));
    }

    private static AttachPoint tp(String fn, String cat, String event) {
        return new AttachPoint(fn, "tp/" + cat + "/" + event, 3);
    }

    @Test
    void mapMacrosGetBccDefaults() throws ConfigException {
        RewrittenProgram r = rewrite("""
                BPF_HASH(a);
                BPF_HASH(b, struct key_t, u32, 128);
                BPF_ARRAY(c);
                BPF_PERCPU_ARRAY(d, u32, 4);
                BPF_PERCPU_HASH(e, u32);
                BPF_HISTOGRAM(f);
                BPF_HISTOGRAM(g, struct key_t, 255);
                BPF_TABLE("lru_hash", u32, u64, h, 99);
                """);
        assertThat(r.maps()).containsExactly(
                new MapDecl("a", MapKind.HASH, "u64", "u64", "10240"),
                new MapDecl("b", MapKind.HASH, "struct key_t", "u32", "128"),
                new MapDecl("c", MapKind.ARRAY, "u32", "u64", "10240"),
                new MapDecl("d", MapKind.PERCPU_ARRAY, "u32", "u32", "4"),
                new MapDecl("e", MapKind.PERCPU_HASH, "u32", "u64", "10240"),
                new MapDecl("f", MapKind.ARRAY, "int", "u64", "64"),
                new MapDecl("g", MapKind.HASH, "struct key_t", "u64", "255"),
                new MapDecl("h", MapKind.LRU_HASH, "u32", "u64", "99"));
        assertThat(r.source()).contains("__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);")
                .contains("} a SEC(\".maps\");").doesNotContain("BPF_HASH(");
    }

    @Test
    void commentsAndStringsAreLeftAlone() throws ConfigException {
        String out = body("""
                // BPF_HASH(fake, u64);
                /* counts.increment(1); BPF_PERF_OUTPUT(x) */
                BPF_HASH(counts);
                int f(void *ctx) {
                    char msg[] = "counts.increment(\\"(\\")";
                    counts.increment(1);
                    return 0;
                }""");
        assertThat(out).contains("// BPF_HASH(fake, u64);")
                .contains("/* counts.increment(1); BPF_PERF_OUTPUT(x) */")
                .contains("\"counts.increment(\\\"(\\\")\"")
                .contains("counts__bcc_increment(1, 1);");
    }

    @Test
    void incrementTakesExpressionsWithNestedParentheses() throws ConfigException {
        String out = body("""
                BPF_HASH(counts, u64);
                BPF_HISTOGRAM(dist);
                TRACEPOINT_PROBE(timer, timer_start) {
                    counts.increment((u64) args->function);
                    dist.increment(bpf_log2l((bpf_ktime_get_ns() - (u64)(args->expires)) / 1000), 2);
                    counts.atomic_increment(((u64) args->function));
                    return 0;
                }""", tp("tracepoint__timer__timer_start", "timer", "timer_start"));
        assertThat(out)
                .contains("SEC(\"tp/timer/timer_start\") int tracepoint__timer__timer_start("
                        + "struct trace_event_raw_timer_start *args) {")
                .contains("counts__bcc_increment((u64) args->function, 1);")
                .contains("dist__bcc_increment(bpf_log2l((bpf_ktime_get_ns() - (u64)(args->expires)) / 1000), 2);")
                .contains("counts__bcc_increment(((u64) args->function), 1);");
    }

    @Test
    void methodCallsInsideMethodArgumentsAndMacrosInsideMapMacros() throws ConfigException {
        String out = body("""
                #define MAX_ENTRIES (1 << 10)
                #define KEY(x) ((x) & 0xff)
                BPF_HASH(seen, u32, u64, MAX_ENTRIES);
                BPF_HASH(counts, u32, u64, MAX_ENTRIES);
                int f(void *ctx) {
                    u32 k = KEY(bpf_get_smp_processor_id());
                    counts.increment(KEY(k), seen.lookup(&k) ? 1 : 2);
                    return 0;
                }""");
        assertThat(out).contains("__uint(max_entries, MAX_ENTRIES);")
                .contains("counts__bcc_increment(KEY(k), seen__bcc_lookup(&k) ? 1 : 2);");
    }

    @Test
    void multiLineCallsKeepTheirLines() throws ConfigException {
        String code = """
                BPF_HASH(counts);
                int f(void *ctx) {
                    counts.increment(
                        bpf_log2l(
                            7));
                    return 0; // line 6
                }""";
        assertThat(yamlLineOf(body(code), "return 0; // line 6")).isEqualTo(25);
        assertThat(yamlLineOf(body(code), "7), 1);")).isEqualTo(24);
    }

    /** The YAML line clang would report for the output line containing {@code text}, following #line directives. */
    static int yamlLineOf(String source, String text) {
        List<String> lines = source.lines().toList();
        int directiveLine = -1;
        int directiveAt = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("#line ")) {
                directiveLine = Integer.parseInt(lines.get(i).split(" ")[1]);
                directiveAt = i;
            } else if (lines.get(i).contains(text)) {
                return directiveLine + (i - directiveAt - 1);
            }
        }
        throw new AssertionError(text + " not found in\n" + source);
    }

    @Test
    void kernelIncludesAreDroppedOthersKept() throws ConfigException {
        String out = body("#include <uapi/linux/ptrace.h>\n#include <net/sock.h>\n#include <bpf/bpf_endian.h>\nint x;");
        assertThat(out).doesNotContain("#include <uapi/linux/ptrace.h>\n").doesNotContain("#include <net/sock.h>\n")
                .contains("#include <bpf/bpf_endian.h>");
        assertThat(out.lines().toList().get(4)).isEqualTo("int x;");
    }

    @Test
    void tracepointStructsFromBccResolveToKernelTypes() throws ConfigException {
        String out = body("int on_start(struct tracepoint__timer__timer_start *args) { return 0; }",
                tp("on_start", "timer", "timer_start"));
        assertThat(out).contains("SEC(\"tp/timer/timer_start\") int on_start(struct trace_event_raw_timer_start *args)");
    }

    @Test
    void kprobeWithBccArgumentsIsWrappedAndEveryAttachPointGetsAProgram() throws ConfigException {
        String out = body("""
                BPF_HASH(counts, u64);
                int trace_req(struct pt_regs *ctx, struct request *req, int flags) {
                    u64 key = (u64) req;
                    counts.increment(key);
                    return 0;
                }""",
                new AttachPoint("trace_req", "kprobe/blk_mq_start_request", 2),
                new AttachPoint("trace_req", "kprobe/blk_account_io_start", 3));
        assertThat(out)
                .contains("static __always_inline int trace_req__bcc_body(struct pt_regs *ctx, struct request *req, int flags)")
                .contains(" SEC(\"kprobe/blk_mq_start_request\") int trace_req(struct pt_regs *ctx) { return "
                        + "trace_req__bcc_body(ctx, (struct request *)PT_REGS_PARM1(ctx), (int)PT_REGS_PARM2(ctx)); }")
                .contains(" SEC(\"kprobe/blk_account_io_start\") int trace_req__2(struct pt_regs *ctx)");
    }

    @Test
    void unattachedTracepointProbesAreNotPrograms() throws ConfigException {
        String out = body("TRACEPOINT_PROBE(sched, sched_switch) { return 0; }");
        assertThat(out).contains("static __always_inline __attribute__((unused)) int tracepoint__sched__sched_switch(")
                .doesNotContain("SEC(\"tp/");
    }

    @Test
    void unsupportedMacrosAndMethodsNameTheYamlLine() {
        assertThatThrownBy(() -> rewrite("BPF_HASH(a);\n\nBPF_STACK_TRACE(stacks, 1024);"))
                .hasMessage("/etc/ebpf/x.yaml:22: program \"p\": BPF_STACK_TRACE is not supported");
        assertThatThrownBy(() -> rewrite("BPF_HASH(a);\nint f(void *ctx) {\n  int id = a.get_stackid(ctx, 0);\n}"))
                .hasMessage("/etc/ebpf/x.yaml:22: program \"p\": a.get_stackid() is not supported");
        assertThatThrownBy(() -> rewrite("int f(void *ctx) {\n  events.perf_submit(ctx, &d, sizeof(d));\n}"))
                .hasMessage("/etc/ebpf/x.yaml:21: program \"p\": events.perf_submit() is not supported");
        assertThatThrownBy(() -> rewrite("BPF_SOMETHING_NEW(x);"))
                .hasMessage("/etc/ebpf/x.yaml:20: program \"p\": BPF_SOMETHING_NEW is not supported");
        assertThatThrownBy(() -> rewrite("#define M(n) BPF_HASH(n)\nM(x);"))
                .hasMessage("/etc/ebpf/x.yaml:20: program \"p\": BPF_HASH inside #define is not supported");
    }

    @Test
    void libbpfMacrosAndUserMacrosNamedBpfAreAllowed() throws ConfigException {
        String out = body("#define BPF_MINE(x) (x)\nint f(struct task_struct *t) { return BPF_MINE(BPF_CORE_READ(t, pid)); }");
        assertThat(out).contains("BPF_MINE(BPF_CORE_READ(t, pid))");
    }

    @Test
    void attachPointsMustNameDefinedFunctionsWithTheRightArguments() {
        assertThatThrownBy(() -> rewrite("int f(void *ctx) { return 0; }", new AttachPoint("g", "kprobe/x", 14)))
                .hasMessage("/etc/ebpf/x.yaml:14: program \"p\": function \"g\" (for kprobe/x) is not defined in the code");
        assertThatThrownBy(() -> rewrite("int f(void *ctx, int x) { return 0; }", tp("f", "a", "b")))
                .hasMessageContaining("only kprobes and uprobes take BCC's extra arguments");
        assertThatThrownBy(() -> rewrite("\nTRACEPOINT_PROBE(foo, missing) { return 0; }"))
                .hasMessage("/etc/ebpf/x.yaml:21: program \"p\": tracepoint foo:missing not found");
    }

    @Test
    void structMembersNamedLikeMapsAreNotMapCalls() throws ConfigException {
        String out = body("BPF_HASH(counts);\nint f(struct ops *o) { return o->counts.lookup(1) + o[0].counts.lookup(2); }");
        assertThat(out).contains("o->counts.lookup(1) + o[0].counts.lookup(2)");
    }

    @Test
    void bccPrintkBecomesLibbpfPrintk() throws ConfigException {
        assertThat(body("int f(void *ctx) { bpf_trace_printk(\"hi %d\\n\", 1); return 0; }"))
                .contains("bpf_printk(\"hi %d\\n\", 1);");
    }
}
