package dev.ebpfexporter.bcc;

import dev.ebpfexporter.config.ConfigException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Rewrites a BCC-style program into libbpf CO-RE C: table macros become BTF-defined maps, map methods become
 * calls of static inline helpers, {@code TRACEPOINT_PROBE} becomes a function taking the tracepoint's record,
 * and every function the YAML attaches gets the libbpf section that attaches it there. {@code #line} directives
 * keep clang's messages pointing at the YAML file.
 */
public final class BccRewriter {
    private static final Set<String> MAP_MACROS = Set.of(
            "BPF_HASH", "BPF_ARRAY", "BPF_PERCPU_ARRAY", "BPF_PERCPU_HASH", "BPF_HISTOGRAM", "BPF_TABLE",
            "BPF_LRU_HASH", "BPF_LRU_PERCPU_HASH");
    private static final String DEFAULT_SIZE = "10240";
    /** libbpf's own function-like BPF_ macros, which programs may use as they are. */
    private static final Set<String> LIBBPF_MACROS = Set.of(
            "BPF_KPROBE", "BPF_KRETPROBE", "BPF_KSYSCALL", "BPF_KPROBE_SYSCALL", "BPF_UPROBE", "BPF_URETPROBE",
            "BPF_PROG", "BPF_PROG2", "BPF_SEQ_PRINTF", "BPF_SNPRINTF", "BPF_PRINTK");
    private static final Map<String, String> METHODS = Map.of(
            "increment", "increment", "atomic_increment", "increment", "lookup", "lookup",
            "lookup_or_try_init", "lookup_or_try_init", "lookup_or_init", "lookup_or_try_init",
            "update", "update", "insert", "insert", "delete", "delete");
    /** Methods BCC offers on tables that have no counterpart here. */
    private static final Set<String> BCC_ONLY_METHODS = Set.of(
            "perf_submit", "perf_submit_skb", "get_stackid", "ringbuf_output", "ringbuf_reserve", "ringbuf_submit",
            "ringbuf_discard", "ringbuf_query", "perf_read", "perf_counter_value", "call", "redirect_map",
            "push", "pop", "peek", "sock_map_update", "sock_hash_update", "msg_redirect_hash", "msg_redirect_map",
            "sk_redirect_hash", "sk_redirect_map", "sk_storage_get", "sk_storage_delete", "inode_storage_get",
            "inode_storage_delete", "task_storage_get", "task_storage_delete", "check_current_task");

    private final ProgramSource program;
    private final TracepointTypes tracepointTypes;
    private final List<Token> tokens;

    private final Map<String, MapDecl> maps = new LinkedHashMap<>();
    private final Map<String, Set<String>> methodsUsed = new HashMap<>();
    private final Map<String, FunctionDef> functions = new LinkedHashMap<>();
    private final Map<String, TracepointType> tracepointTypeCache = new LinkedHashMap<>();
    private final Set<String> userMacros = new HashSet<>();
    /** Edits by the index of the first token they replace. */
    private final TreeMap<Integer, Edit> edits = new TreeMap<>();
    /** Text inserted before a token. */
    private final Map<Integer, String> before = new HashMap<>();
    /** Text inserted after a token. */
    private final Map<Integer, String> after = new HashMap<>();

    /** A replacement of tokens {@code start..end} (inclusive), rendered once every edit is planned. */
    private record Edit(int end, Supplier<String> text) {
        String render() {
            return text.get();
        }
    }

    /**
     * A function definition at file scope, or what {@code TRACEPOINT_PROBE} / {@code RAW_TRACEPOINT_PROBE} expands to.
     *
     * @param declStart token where its declaration starts (return type, qualifiers)
     * @param headerEnd for the probe macros, the macro's closing parenthesis (-1 for plain functions)
     */
    private record FunctionDef(String name, int line, int declStart, int nameIndex, List<String> params,
                               int bodyEnd, int headerStart, int headerEnd, boolean hasStatic) {
    }

    private BccRewriter(ProgramSource program, TracepointTypes tracepointTypes) {
        this.program = program;
        this.tracepointTypes = tracepointTypes;
        this.tokens = CTokenizer.tokenize(program.code());
    }

    /**
     * @return the complete C source, ready for clang
     * @throws ConfigException naming the YAML line of the first unsupported construct or bad attach point
     */
    public static RewrittenProgram rewrite(ProgramSource program, TracepointTypes tracepointTypes)
            throws ConfigException {
        BccRewriter rewriter = new BccRewriter(program, tracepointTypes);
        return new RewrittenProgram(rewriter.run(), List.copyOf(rewriter.maps.values()));
    }

    private String run() throws ConfigException {
        scan();
        planFunctions();
        StringBuilder out = new StringBuilder();
        out.append(BccPrelude.text(program, tracepointTypeCache.values().stream()
                .map(TracepointType::definition).filter(d -> !d.isEmpty()).toList()));
        out.append(lineDirective(1));
        out.append(render(0, tokens.size()));
        if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') {
            out.append('\n');
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- scanning

    private void scan() throws ConfigException {
        int depth = 0;
        int boundary = -1;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (!t.kind().significant()) {
                continue;
            }
            if (t.kind() == TokenKind.PREPROCESSOR) {
                directive(i);
                if (depth == 0) {
                    boundary = i;
                }
                continue;
            }
            if (t.is("{")) {
                depth++;
            } else if (t.is("}")) {
                depth--;
                if (depth == 0) {
                    boundary = i;
                }
            } else if (t.is(";") && depth == 0) {
                boundary = i;
            } else if (t.isIdentifier()) {
                int next = nextSignificant(i);
                boolean call = next < tokens.size() && tokens.get(next).is("(");
                String word = t.text();
                if (call && depth == 0 && MAP_MACROS.contains(word) && !userMacros.contains(word)) {
                    i = mapMacro(i, next);
                    boundary = i;
                } else if (call && depth == 0 && (word.equals("TRACEPOINT_PROBE") || word.equals("RAW_TRACEPOINT_PROBE"))
                        && !userMacros.contains(word)) {
                    probeMacro(i, next, boundary);
                } else if (call && word.startsWith("BPF_") && !userMacros.contains(word) && !isLibbpfMacro(word)) {
                    throw unsupported(t.line(), word);
                } else if (call && depth == 0) {
                    functionDefinition(i, next, boundary);
                } else if (word.startsWith("tracepoint__") && previousSignificant(i) >= 0
                        && tokens.get(previousSignificant(i)).is("struct")) {
                    tracepointStructReference(i);
                } else if (!call && next < tokens.size() && tokens.get(next).is(".") && !isMemberAccess(i)) {
                    methodCall(i, next);
                } else if (call && word.equals("bpf_trace_printk")) {
                    int at = i;
                    edits.put(i, simple(at, "bpf_printk"));
                }
            }
        }
    }

    /** {@code x.counts} or {@code p->counts}: a struct member, not a map. */
    private boolean isMemberAccess(int i) {
        int previous = previousSignificant(i);
        return previous >= 0 && (tokens.get(previous).is(".") || tokens.get(previous).is("->"));
    }

    private static boolean isLibbpfMacro(String word) {
        return LIBBPF_MACROS.contains(word) || word.startsWith("BPF_CORE_READ") || word.startsWith("BPF_PROBE_READ");
    }

    private void directive(int i) throws ConfigException {
        Token t = tokens.get(i);
        String body = t.text().substring(1).strip();
        if (body.startsWith("define")) {
            List<Token> inner = CTokenizer.tokenize(body.substring("define".length()));
            inner.stream().filter(Token::isIdentifier).findFirst().ifPresent(name -> userMacros.add(name.text()));
            for (Token word : inner) {
                if (word.isIdentifier() && (MAP_MACROS.contains(word.text()) || word.text().equals("TRACEPOINT_PROBE"))) {
                    throw unsupported(t.line(), word.text() + " inside #define");
                }
            }
        } else if (body.startsWith("include")) {
            String target = body.substring("include".length()).strip();
            boolean keep = target.startsWith("<bpf/") || target.equals("<vmlinux.h>") || target.startsWith("\"");
            if (!keep) {
                // vmlinux.h has the kernel's types; BCC's kernel headers are not there to include.
                String blank = "/* " + t.text().replace("*/", "* /").replace("\n", " ") + ": dropped, vmlinux.h has the types */";
                edits.put(i, simple(i, blank + "\n".repeat(t.endLine() - t.line())));
            }
        }
    }

    /** {@code BPF_HASH(name, ...)}: parses it, records the map and replaces the macro (and its {@code ;}). */
    private int mapMacro(int macro, int open) throws ConfigException {
        int close = matching(open);
        List<String> args = arguments(open, close).stream().map(this::text).map(String::strip).toList();
        Token t = tokens.get(macro);
        MapDecl decl = mapDecl(t.text(), args, t.line());
        if (maps.containsKey(decl.name())) {
            throw new ConfigException(program.message(t.line(), "map \"" + decl.name() + "\" is declared twice"));
        }
        maps.put(decl.name(), decl);
        int end = close;
        int semicolon = nextSignificant(close);
        if (semicolon < tokens.size() && tokens.get(semicolon).is(";")) {
            end = semicolon;
        }
        int last = end;
        edits.put(macro, new Edit(last, () -> decl.definition()
                + decl.helpers(methodsUsed.getOrDefault(decl.name(), Set.of()))
                + lineDirective(tokens.get(last).endLine())));
        return end;
    }

    private MapDecl mapDecl(String macro, List<String> args, int line) throws ConfigException {
        if (args.isEmpty() || args.getFirst().isEmpty()) {
            throw new ConfigException(program.message(line, macro + " needs a map name"));
        }
        String name = args.getFirst();
        return switch (macro) {
            case "BPF_HASH", "BPF_PERCPU_HASH", "BPF_LRU_HASH", "BPF_LRU_PERCPU_HASH" -> {
                MapKind kind = switch (macro) {
                    case "BPF_HASH" -> MapKind.HASH;
                    case "BPF_PERCPU_HASH" -> MapKind.PERCPU_HASH;
                    case "BPF_LRU_HASH" -> MapKind.LRU_HASH;
                    default -> MapKind.LRU_PERCPU_HASH;
                };
                yield new MapDecl(name, kind, arg(args, 1, "u64"), arg(args, 2, "u64"), arg(args, 3, DEFAULT_SIZE));
            }
            case "BPF_ARRAY", "BPF_PERCPU_ARRAY" -> new MapDecl(name,
                    macro.equals("BPF_ARRAY") ? MapKind.ARRAY : MapKind.PERCPU_ARRAY, "u32", arg(args, 1, "u64"),
                    arg(args, 2, DEFAULT_SIZE));
            case "BPF_HISTOGRAM" -> histogram(name, arg(args, 1, "int"), "u64", arg(args, 2, "64"));
            case "BPF_TABLE" -> table(args, line);
            default -> throw unsupported(line, macro);
        };
    }

    /** BCC's histogram tables are arrays when keyed by int, hashes otherwise. */
    private static MapDecl histogram(String name, String key, String leaf, String size) {
        return new MapDecl(name, key.equals("int") ? MapKind.ARRAY : MapKind.HASH, key, leaf, size);
    }

    private MapDecl table(List<String> args, int line) throws ConfigException {
        if (args.size() != 5) {
            throw new ConfigException(program.message(line, "BPF_TABLE needs (type, key, leaf, name, size)"));
        }
        String type = args.get(0).replace("\"", "");
        String key = args.get(1);
        String leaf = args.get(2);
        String name = args.get(3);
        String size = args.get(4);
        MapKind kind = switch (type) {
            case "hash" -> MapKind.HASH;
            case "array" -> MapKind.ARRAY;
            case "percpu_hash" -> MapKind.PERCPU_HASH;
            case "percpu_array" -> MapKind.PERCPU_ARRAY;
            case "lru_hash" -> MapKind.LRU_HASH;
            case "lru_percpu_hash" -> MapKind.LRU_PERCPU_HASH;
            case "histogram" -> null;
            default -> throw unsupported(line, "BPF_TABLE(\"" + type + "\")");
        };
        if (kind == null) {
            return histogram(name, key, leaf, size);
        }
        return new MapDecl(name, kind, kind.isArray() ? "u32" : key, leaf, size);
    }

    private static String arg(List<String> args, int index, String fallback) {
        return index < args.size() && !args.get(index).isEmpty() ? args.get(index) : fallback;
    }

    private void probeMacro(int macro, int open, int boundary) throws ConfigException {
        int close = matching(open);
        Token t = tokens.get(macro);
        List<String> args = arguments(open, close).stream().map(this::text).map(String::strip).toList();
        int brace = nextSignificant(close);
        if (brace >= tokens.size() || !tokens.get(brace).is("{")) {
            throw new ConfigException(program.message(t.line(), t.text() + " must be followed by the function body"));
        }
        String name;
        List<String> params;
        if (t.text().equals("TRACEPOINT_PROBE")) {
            if (args.size() != 2) {
                throw new ConfigException(program.message(t.line(), "TRACEPOINT_PROBE needs (category, event)"));
            }
            TracepointType type = tracepointType(args.get(0), args.get(1), t.line());
            name = "tracepoint__" + args.get(0) + "__" + args.get(1);
            params = List.of(type.typeName() + " *args");
        } else {
            if (args.size() != 1) {
                throw new ConfigException(program.message(t.line(), "RAW_TRACEPOINT_PROBE needs (event)"));
            }
            name = "raw_tracepoint__" + args.getFirst();
            params = List.of("struct bpf_raw_tracepoint_args *ctx");
        }
        addFunction(new FunctionDef(name, t.line(), macro, macro, params, matching(brace), macro, close, false));
    }

    private void functionDefinition(int nameIndex, int open, int boundary) throws ConfigException {
        int close = matching(open);
        int brace = nextSignificant(close);
        if (brace >= tokens.size() || !tokens.get(brace).is("{")) {
            return;
        }
        int declStart = nextSignificant(boundary);
        boolean hasStatic = false;
        for (int i = declStart; i < nameIndex; i++) {
            hasStatic |= tokens.get(i).is("static");
        }
        List<String> params = new ArrayList<>();
        for (int[] range : arguments(open, close)) {
            String param = significantText(range[0], range[1]);
            if (!param.isEmpty() && !param.equals("void")) {
                params.add(param);
            }
        }
        Token name = tokens.get(nameIndex);
        addFunction(new FunctionDef(name.text(), name.line(), declStart, nameIndex, params, matching(brace), -1, -1,
                hasStatic));
    }

    private void addFunction(FunctionDef def) throws ConfigException {
        if (functions.putIfAbsent(def.name(), def) != null) {
            throw new ConfigException(program.message(def.line(), "function \"" + def.name() + "\" is defined twice"));
        }
    }

    private void tracepointStructReference(int i) throws ConfigException {
        Token t = tokens.get(i);
        String rest = t.text().substring("tracepoint__".length());
        int split = rest.indexOf("__");
        if (split <= 0) {
            return;
        }
        TracepointType type = tracepointType(rest.substring(0, split), rest.substring(split + 2), t.line());
        edits.put(i, simple(i, type.typeName().substring("struct ".length())));
    }

    private TracepointType tracepointType(String category, String event, int line) throws ConfigException {
        String key = category + ":" + event;
        TracepointType type = tracepointTypeCache.get(key);
        if (type == null) {
            try {
                type = tracepointTypes.resolve(category, event);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(program.message(line, e.getMessage()), e);
            }
            tracepointTypeCache.put(key, type);
        }
        return type;
    }

    /** {@code receiver.method(...)}: map methods become helper calls; BCC-only methods fail. */
    private void methodCall(int receiver, int dot) throws ConfigException {
        int methodIndex = nextSignificant(dot);
        if (methodIndex >= tokens.size() || !tokens.get(methodIndex).isIdentifier()) {
            return;
        }
        int open = nextSignificant(methodIndex);
        if (open >= tokens.size() || !tokens.get(open).is("(")) {
            return;
        }
        String mapName = tokens.get(receiver).text();
        String method = tokens.get(methodIndex).text();
        int line = tokens.get(methodIndex).line();
        MapDecl map = maps.get(mapName);
        if (map == null) {
            if (BCC_ONLY_METHODS.contains(method)) {
                throw unsupported(line, mapName + "." + method + "()");
            }
            return;
        }
        String canonical = METHODS.get(method);
        if (canonical == null) {
            throw unsupported(line, mapName + "." + method + "()");
        }
        methodsUsed.computeIfAbsent(mapName, k -> new LinkedHashSet<>()).add(canonical);
        int close = matching(open);
        List<int[]> args = arguments(open, close);
        int expected = switch (canonical) {
            case "lookup", "delete" -> 1;
            case "increment" -> args.size() == 2 ? 2 : 1;
            default -> 2;
        };
        if (args.size() != expected || significantText(args.getFirst()[0], args.getFirst()[1]).isEmpty()) {
            throw new ConfigException(program.message(line, mapName + "." + method + "() takes " + expected
                    + " argument" + (expected == 1 ? "" : "s")));
        }
        String helper = map.helperName(canonical);
        int dropNewlines = newlines(receiver, open);
        edits.put(receiver, new Edit(close, () -> {
            StringBuilder call = new StringBuilder(helper).append('(');
            for (int a = 0; a < args.size(); a++) {
                if (a > 0) {
                    call.append(',');
                }
                call.append(render(args.get(a)[0], args.get(a)[1]));
            }
            if (canonical.equals("increment") && args.size() == 1) {
                call.append(", 1");
            }
            return call.append(')').append("\n".repeat(dropNewlines)).toString();
        }));
    }

    // ---------------------------------------------------------------- attaching

    /** Gives every attached function its section, wrapping it when it needs several or BCC's extra arguments. */
    private void planFunctions() throws ConfigException {
        Map<String, List<AttachPoint>> byFunction = new LinkedHashMap<>();
        for (AttachPoint a : program.attachPoints()) {
            if (!functions.containsKey(a.function())) {
                throw new ConfigException(program.yamlFile() + ":" + a.yamlLine() + ": program \"" + program.name()
                        + "\": function \"" + a.function() + "\" (for " + a.section() + ") is not defined in the code");
            }
            byFunction.computeIfAbsent(a.function(), k -> new ArrayList<>()).add(a);
        }
        for (FunctionDef f : functions.values()) {
            List<AttachPoint> points = byFunction.getOrDefault(f.name(), List.of());
            for (AttachPoint a : points) {
                if (f.params().size() > 1 && !a.takesRegisters()) {
                    throw new ConfigException(program.message(f.line(), "function \"" + f.name() + "\" takes "
                            + f.params().size() + " arguments; only kprobes and uprobes take BCC's extra arguments ("
                            + a.section() + ")"));
                }
            }
            boolean wrap = points.size() > 1 || f.params().size() > 1;
            String prefix;
            String name = f.name();
            if (points.isEmpty()) {
                prefix = f.headerEnd() >= 0 ? "static __always_inline __attribute__((unused)) " : "";
            } else if (!wrap) {
                prefix = "SEC(\"" + points.getFirst().section() + "\") ";
            } else {
                prefix = f.hasStatic() ? "" : "static __always_inline ";
                name = f.name() + "__bcc_body";
                after.merge(f.bodyEnd(), wrappers(f, points, name), String::concat);
            }
            if (f.headerEnd() >= 0) {
                String header = prefix + "int " + name + "(" + String.join(", ", f.params()) + ")";
                int newlines = newlines(f.headerStart(), f.headerEnd());
                edits.put(f.headerStart(), simple(f.headerEnd(), header + "\n".repeat(newlines)));
            } else {
                if (!prefix.isEmpty()) {
                    before.merge(f.declStart(), prefix, String::concat);
                }
                if (!name.equals(f.name())) {
                    edits.put(f.nameIndex(), simple(f.nameIndex(), name));
                }
            }
        }
    }

    /** One program per attach point, on one line (so line numbers stay), each calling the body. */
    private static String wrappers(FunctionDef f, List<AttachPoint> points, String body) {
        StringBuilder out = new StringBuilder();
        String ctxParam = f.params().isEmpty() ? "void *ctx" : f.params().getFirst();
        String ctxName = f.params().isEmpty() ? null : parameterName(ctxParam);
        for (int i = 0; i < points.size(); i++) {
            AttachPoint a = points.get(i);
            String programName = i == 0 ? f.name() : f.name() + "__" + (i + 1);
            List<String> callArgs = new ArrayList<>();
            if (ctxName != null) {
                callArgs.add(ctxName);
            }
            for (int p = 1; p < f.params().size(); p++) {
                String param = f.params().get(p);
                String type = param.substring(0, param.lastIndexOf(parameterName(param))).strip();
                callArgs.add("(" + type + ")PT_REGS_PARM" + p + "(" + ctxName + ")");
            }
            out.append(" SEC(\"").append(a.section()).append("\") int ").append(programName).append('(')
                    .append(ctxParam).append(") { return ").append(body).append('(')
                    .append(String.join(", ", callArgs)).append("); }");
        }
        return out.toString();
    }

    private static String parameterName(String param) {
        List<Token> ts = CTokenizer.tokenize(param);
        for (int i = ts.size() - 1; i >= 0; i--) {
            if (ts.get(i).isIdentifier()) {
                return ts.get(i).text();
            }
        }
        return param;
    }

    // ---------------------------------------------------------------- emitting

    private String render(int from, int to) {
        StringBuilder out = new StringBuilder();
        int i = from;
        while (i < to) {
            String pre = before.get(i);
            if (pre != null) {
                out.append(pre);
            }
            Edit edit = edits.get(i);
            int last = i;
            if (edit != null && edit.end() < to) {
                out.append(edit.render());
                last = edit.end();
            } else {
                out.append(tokens.get(i).text());
            }
            for (int k = i; k <= last; k++) {
                String post = after.get(k);
                if (post != null) {
                    out.append(post);
                }
            }
            i = last + 1;
        }
        return out.toString();
    }

    private String render(int[] range) {
        return render(range[0], range[1]);
    }

    private static Edit simple(int end, String replacement) {
        return new Edit(end, () -> replacement);
    }

    private String lineDirective(int codeLine) {
        String file = program.yamlFile().toString().replace("\\", "\\\\").replace("\"", "\\\"");
        return "\n#line " + program.yamlLine(codeLine) + " \"" + file + "\"\n";
    }

    // ---------------------------------------------------------------- token helpers

    private int nextSignificant(int i) {
        int j = i + 1;
        while (j < tokens.size() && !tokens.get(j).kind().significant()) {
            j++;
        }
        return j;
    }

    private int previousSignificant(int i) {
        int j = i - 1;
        while (j >= 0 && !tokens.get(j).kind().significant()) {
            j--;
        }
        return j;
    }

    /** Index of the bracket closing the one at {@code open}; the end of the tokens if unbalanced. */
    private int matching(int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            int nesting = nesting(tokens.get(i));
            depth += nesting;
            if (nesting < 0 && depth == 0) {
                return i;
            }
        }
        return tokens.size() - 1;
    }

    /** +1 for an opening bracket, -1 for a closing one, 0 for any other token. */
    private static int nesting(Token t) {
        if (t.kind() != TokenKind.PUNCTUATION) {
            return 0;
        }
        if (t.is("(") || t.is("[") || t.is("{")) {
            return 1;
        }
        return t.is(")") || t.is("]") || t.is("}") ? -1 : 0;
    }

    /** Token ranges {@code [start, end)} of the comma-separated arguments between {@code open} and {@code close}. */
    private List<int[]> arguments(int open, int close) {
        List<int[]> ranges = new ArrayList<>();
        int depth = 0;
        int start = open + 1;
        for (int i = open + 1; i < close; i++) {
            Token t = tokens.get(i);
            depth += nesting(t);
            if (depth == 0 && t.kind() == TokenKind.PUNCTUATION && t.is(",")) {
                ranges.add(new int[] {start, i});
                start = i + 1;
            }
        }
        if (start < close || !ranges.isEmpty()) {
            ranges.add(new int[] {start, close});
        }
        return ranges;
    }

    private String text(int[] range) {
        StringBuilder out = new StringBuilder();
        for (int i = range[0]; i < range[1]; i++) {
            if (tokens.get(i).kind() != TokenKind.COMMENT) {
                out.append(tokens.get(i).text());
            }
        }
        return out.toString().replaceAll("\\s+", " ");
    }

    private String significantText(int from, int to) {
        return text(new int[] {from, to}).strip();
    }

    private int newlines(int from, int toInclusive) {
        int n = 0;
        for (int i = from; i <= toInclusive && i < tokens.size(); i++) {
            n += tokens.get(i).endLine() - tokens.get(i).line();
        }
        return n;
    }

    private ConfigException unsupported(int codeLine, String what) {
        return new ConfigException(program.message(codeLine, what + " is not supported"));
    }
}
