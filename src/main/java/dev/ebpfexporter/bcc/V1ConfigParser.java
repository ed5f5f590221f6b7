package dev.ebpfexporter.bcc;

import dev.ebpfexporter.bpf.link.AttachKind;
import dev.ebpfexporter.bpf.link.AttachKinds;
import dev.ebpfexporter.bpf.link.InlineForm;
import dev.ebpfexporter.bpf.link.PerfEventSection;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.MetricReader;
import dev.ebpfexporter.config.UnknownKeys;
import dev.ebpfexporter.config.YamlDocument;
import dev.ebpfexporter.config.YamlMap;
import dev.ebpfexporter.config.YamlNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses the reference exporter's first config format (v1: {@code programs:} with inline BCC code) into
 * records. Metrics, labels and decoders are read by the same readers as v2 configs, so errors have the same
 * {@code file:line: path: what (did you mean ...)} form and the same checks (duplicate labels, unknown keys: errors or warnings as {@link UnknownKeys} says).
 */
public final class V1ConfigParser {
    private static final Set<String> TOP = Set.of("programs");
    /** The inline forms of {@link AttachKinds}, in the order their entries attach. */
    private static final List<InlineForm> ATTACH_FORMS =
            AttachKinds.all().stream().map(AttachKind::inline).flatMap(Optional::stream).toList();
    private static final Set<String> PROGRAM = programKeys();
    private static final Set<String> PERF_EVENT = Set.of("type", "name", "target", "sample_period", "sample_frequency");
    private static final MetricReader METRIC_READER = new MetricReader(true);

    private final Path file;

    private V1ConfigParser(Path file) {
        this.file = file;
    }

    /** The programs of {@code file}; unknown keys are errors, as under {@code --config.strict}. */
    public static List<InlineProgram> parse(Path file) throws ConfigException {
        return parse(file, UnknownKeys.REFUSE);
    }

    /** The programs of {@code file}, whose unknown keys are treated as {@code unknownKeys} says. */
    public static List<InlineProgram> parse(Path file, UnknownKeys unknownKeys) throws ConfigException {
        return new V1ConfigParser(file).run(YamlDocument.readMap(file, unknownKeys));
    }

    /** Whether a YAML file is in the v1 format: a mapping with a top-level {@code programs} key. */
    public static boolean isInlineFormat(Path file) {
        try {
            return YamlDocument.readMap(file).has("programs");
        } catch (ConfigException e) {
            return false; // not readable as YAML: the v2 reader reports why, with file and line
        }
    }

    private List<InlineProgram> run(YamlMap root) throws ConfigException {
        root.allowOnly(TOP);
        YamlNode programs = root.require("programs");
        List<InlineProgram> result = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (YamlNode node : programs.asList()) {
            InlineProgram p = program(node);
            Integer first = names.putIfAbsent(p.source().name(), node.source().line());
            if (first != null) {
                throw node.asMap().require("name").error("duplicate program name " + YamlNode.quote(p.source().name())
                        + " (first on line " + first + ")");
            }
            result.add(p);
        }
        if (result.isEmpty()) {
            throw programs.error("must not be empty");
        }
        return result;
    }

    private InlineProgram program(YamlNode node) throws ConfigException {
        YamlMap m = node.asMap().allowOnly(PROGRAM);
        String name = m.requireString("name");
        YamlNode codeNode = m.require("code");
        String code = codeNode.asString();
        if (code.isBlank()) {
            throw codeNode.error("must not be empty");
        }

        MetricReader.Metrics metrics = METRIC_READER.metrics(m.get("metrics"));

        List<AttachPoint> attach = new ArrayList<>();
        for (InlineForm form : ATTACH_FORMS) {
            switch (form) {
                case InlineForm.Keyed keyed -> attach(m, keyed, attach);
                case InlineForm.PerfEvents perfEvents -> {
                    for (YamlNode pe : list(m.get(perfEvents.yamlKey()))) {
                        attach.add(perfEvent(pe));
                    }
                }
            }
        }
        if (attach.isEmpty()) {
            throw node.error("has no " + attachKeys());
        }
        List<String> cflags = m.get("cflags").isPresent() ? m.get("cflags").get().asStrings() : List.of();
        List<String> kaddrs = m.get("kaddrs").isPresent() ? m.get("kaddrs").get().asStrings() : List.of();
        for (String k : kaddrs) {
            if (!k.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                throw m.get("kaddrs").get().error(YamlNode.quote(k) + " is not a symbol name");
            }
        }
        ProgramSource source = new ProgramSource(file, name, code, codeNode.contentLine(), attach, kaddrs, cflags);
        return new InlineProgram(source, metrics.counters(), metrics.histograms());
    }

    private static Set<String> programKeys() {
        Set<String> keys = new LinkedHashSet<>(List.of("name", "metrics", "code"));
        ATTACH_FORMS.forEach(form -> keys.add(form.yamlKey()));
        keys.addAll(List.of("cflags", "kaddrs"));
        return Set.copyOf(keys);
    }

    /** "tracepoints, raw_tracepoints, ... or perf_events": the attach keys, for the error of a program with none. */
    private static String attachKeys() {
        List<String> keys = ATTACH_FORMS.stream().map(InlineForm::yamlKey).toList();
        return String.join(", ", keys.subList(0, keys.size() - 1)) + " or " + keys.getLast();
    }

    private static void attach(YamlMap m, InlineForm.Keyed form, List<AttachPoint> out) throws ConfigException {
        if (m.get(form.yamlKey()).isEmpty()) {
            return;
        }
        YamlMap entries = m.get(form.yamlKey()).get().asMap();
        for (String entry : entries.keys()) {
            YamlNode value = entries.require(entry);
            String section = form.section().apply(entry.strip());
            if (section == null || entry.isBlank()) {
                throw value.error(YamlNode.quote(entry) + " is not " + form.keyShape());
            }
            String function = value.asString().strip();
            if (!function.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw value.error(YamlNode.quote(function) + " is not a C function name");
            }
            out.add(new AttachPoint(function, section, entries.keySource(entry).orElseThrow().line()));
        }
    }

    /** {@code {type, name, target, sample_period|sample_frequency}} → {@code perf_event/type=T,config=N,frequency=F}. */
    private static AttachPoint perfEvent(YamlNode node) throws ConfigException {
        YamlMap m = node.asMap().allowOnly(PERF_EVENT);
        String target = m.requireString("target");
        long type = m.get("type").isPresent() ? m.get("type").get().asLong() : 0;
        long config = m.get("name").isPresent() ? m.get("name").get().asLong() : 0;
        long period = m.get("sample_period").isPresent() ? m.get("sample_period").get().asLong() : 0;
        long frequency = m.get("sample_frequency").isPresent() ? m.get("sample_frequency").get().asLong() : 0;
        if ((period > 0) == (frequency > 0)) {
            throw node.error("needs one of sample_period and sample_frequency");
        }
        return new AttachPoint(target, new PerfEventSection((int) type, config, frequency, period).section(),
                node.source().line());
    }

    private static List<YamlNode> list(Optional<YamlNode> node) throws ConfigException {
        return node.isPresent() ? node.get().asList() : List.of();
    }
}
