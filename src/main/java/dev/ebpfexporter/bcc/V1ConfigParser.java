package dev.ebpfexporter.bcc;

import dev.ebpfexporter.config.BucketType;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.CounterConfig;
import dev.ebpfexporter.config.DecoderConfig;
import dev.ebpfexporter.config.HistogramConfig;
import dev.ebpfexporter.config.LabelConfig;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses the reference exporter's first config format (v1: {@code programs:} with inline BCC code) into
 * records, with file:line errors. Unknown keys are errors, as in v2.
 */
public final class V1ConfigParser {
    private static final Set<String> TOP = Set.of("programs");
    private static final Set<String> PROGRAM = Set.of("name", "metrics", "code", "tracepoints", "raw_tracepoints",
            "kprobes", "kretprobes", "uprobes", "uretprobes", "perf_events", "cflags", "kaddrs");
    private static final Set<String> METRICS = Set.of("counters", "histograms");
    private static final Set<String> COUNTER = Set.of("name", "help", "table", "labels", "perf_map",
            "perf_map_flush_duration");
    private static final Set<String> HISTOGRAM = Set.of("name", "help", "table", "bucket_type", "bucket_multiplier",
            "bucket_min", "bucket_max", "bucket_keys", "labels");
    private static final Set<String> LABEL = Set.of("name", "size", "padding", "decoders");
    private static final Set<String> DECODER = Set.of("name", "static_map", "regexps", "allow_unknown");
    private static final Set<String> PERF_EVENT = Set.of("type", "name", "target", "sample_period", "sample_frequency");

    private final Path file;
    private final YamlNodes yaml;

    private V1ConfigParser(Path file) {
        this.file = file;
        this.yaml = new YamlNodes(file);
    }

    public static List<InlineProgram> parse(Path file) throws ConfigException {
        return new V1ConfigParser(file).run(compose(file).orElseThrow(
                () -> new ConfigException(file + ":1: empty config")));
    }

    /** Whether a YAML file is in the v1 format: a mapping with a top-level {@code programs} key. */
    public static boolean isInlineFormat(Path file) {
        try {
            Optional<Node> root = compose(file);
            return root.isPresent() && root.get() instanceof org.snakeyaml.engine.v2.nodes.MappingNode m
                    && m.getValue().stream().anyMatch(t -> t.getKeyNode()
                    instanceof org.snakeyaml.engine.v2.nodes.ScalarNode s && s.getValue().equals("programs"));
        } catch (ConfigException e) {
            return false;
        }
    }

    private static Optional<Node> compose(Path file) throws ConfigException {
        try {
            String text = Files.readString(file);
            LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).build();
            return new Compose(settings).composeString(text);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        } catch (YamlEngineException e) {
            throw new ConfigException(file + ": invalid YAML: " + e.getMessage().replace('\n', ' ').strip());
        }
    }

    private List<InlineProgram> run(Node root) throws ConfigException {
        Map<String, YamlNodes.Entry> top = yaml.mapping(root, "config", TOP);
        YamlNodes.Entry programs = top.get("programs");
        if (programs == null) {
            throw yaml.error(root, "programs is required");
        }
        List<InlineProgram> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Node node : yaml.sequence(programs.value(), "programs")) {
            InlineProgram p = program(node);
            if (!names.add(p.source().name())) {
                throw yaml.error(node, "program \"" + p.source().name() + "\" is defined twice");
            }
            result.add(p);
        }
        if (result.isEmpty()) {
            throw yaml.error(programs.value(), "programs is empty");
        }
        return result;
    }

    private InlineProgram program(Node node) throws ConfigException {
        Map<String, YamlNodes.Entry> m = yaml.mapping(node, "program", PROGRAM);
        String name = yaml.requiredString(m, "name", node, "program");
        String what = "program \"" + name + "\"";
        String code = yaml.requiredString(m, "code", node, what);
        int firstLine = yaml.contentLine(m.get("code").value());

        List<CounterConfig> counters = new ArrayList<>();
        List<HistogramConfig> histograms = new ArrayList<>();
        YamlNodes.Entry metrics = m.get("metrics");
        if (metrics != null && !YamlNodes.isNull(metrics.value())) {
            Map<String, YamlNodes.Entry> mm = yaml.mapping(metrics.value(), what + " metrics", METRICS);
            if (mm.containsKey("counters")) {
                for (Node c : yaml.sequence(mm.get("counters").value(), "counters")) {
                    counters.add(counter(c));
                }
            }
            if (mm.containsKey("histograms")) {
                for (Node h : yaml.sequence(mm.get("histograms").value(), "histograms")) {
                    histograms.add(histogram(h));
                }
            }
        }

        List<AttachPoint> attach = new ArrayList<>();
        attach(m, "tracepoints", attach, key -> {
            int colon = key.indexOf(':');
            if (colon <= 0 || colon == key.length() - 1 || key.indexOf(':', colon + 1) >= 0) {
                return null;
            }
            return "tp/" + key.substring(0, colon) + "/" + key.substring(colon + 1);
        }, "category:event");
        attach(m, "raw_tracepoints", attach, key -> "raw_tp/" + key, "event");
        attach(m, "kprobes", attach, key -> "kprobe/" + key, "kernel function");
        attach(m, "kretprobes", attach, key -> "kretprobe/" + key, "kernel function");
        attach(m, "uprobes", attach, key -> key.contains(":") ? "uprobe/" + key : null, "binary:symbol");
        attach(m, "uretprobes", attach, key -> key.contains(":") ? "uretprobe/" + key : null, "binary:symbol");
        if (m.containsKey("perf_events")) {
            for (Node pe : yaml.sequence(m.get("perf_events").value(), "perf_events")) {
                attach.add(perfEvent(pe));
            }
        }
        if (attach.isEmpty()) {
            throw yaml.error(node, what + " has no tracepoints, raw_tracepoints, kprobes, kretprobes, uprobes or perf_events");
        }
        List<String> cflags = strings(m, "cflags");
        List<String> kaddrs = strings(m, "kaddrs");
        for (String k : kaddrs) {
            if (!k.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
                throw yaml.error(m.get("kaddrs").value(), "kaddrs: \"" + k + "\" is not a symbol name");
            }
        }
        ProgramSource source = new ProgramSource(file, name, code, firstLine, attach, kaddrs, cflags);
        return new InlineProgram(source, counters, histograms);
    }

    private interface SectionOf {
        String section(String key);
    }

    private void attach(Map<String, YamlNodes.Entry> m, String key, List<AttachPoint> out, SectionOf sectionOf,
                        String keyShape) throws ConfigException {
        YamlNodes.Entry e = m.get(key);
        if (e == null || YamlNodes.isNull(e.value())) {
            return;
        }
        for (YamlNodes.Entry entry : yaml.mapping(e.value(), key, null).values()) {
            String section = sectionOf.section(entry.key().strip());
            if (section == null || entry.key().isBlank()) {
                throw yaml.error(entry.value(), key + ": \"" + entry.key() + "\" is not " + keyShape);
            }
            String function = yaml.scalar(entry.value(), key + "." + entry.key()).strip();
            if (!function.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw yaml.error(entry.value(), key + ": \"" + function + "\" is not a C function name");
            }
            out.add(new AttachPoint(function, section, entry.line()));
        }
    }

    /** {@code {type, name, target, sample_period|sample_frequency}} → {@code perf_event/type=T,config=N,frequency=F}. */
    private AttachPoint perfEvent(Node node) throws ConfigException {
        Map<String, YamlNodes.Entry> m = yaml.mapping(node, "perf_events entry", PERF_EVENT);
        String target = yaml.requiredString(m, "target", node, "perf_events entry");
        long type = yaml.integer(m, "type", 0, "perf_events");
        long config = yaml.integer(m, "name", 0, "perf_events");
        long period = yaml.integer(m, "sample_period", 0, "perf_events");
        long frequency = yaml.integer(m, "sample_frequency", 0, "perf_events");
        if ((period > 0) == (frequency > 0)) {
            throw yaml.error(node, "perf_events entry needs one of sample_period and sample_frequency");
        }
        String sampling = period > 0 ? "period=" + period : "frequency=" + frequency;
        return new AttachPoint(target, "perf_event/type=" + type + ",config=" + config + "," + sampling, yaml.line(node));
    }

    private CounterConfig counter(Node node) throws ConfigException {
        Map<String, YamlNodes.Entry> m = yaml.mapping(node, "counter", COUNTER);
        String name = yaml.requiredString(m, "name", node, "counter");
        String what = "counter \"" + name + "\"";
        if (m.containsKey("perf_map") || m.containsKey("perf_map_flush_duration")) {
            YamlNodes.Entry e = m.getOrDefault("perf_map", m.get("perf_map_flush_duration"));
            throw yaml.error(e.value(), what + ": perf_map is not supported (BPF_PERF_OUTPUT is not supported)");
        }
        String help = yaml.requiredString(m, "help", node, what);
        String table = yaml.requiredString(m, "table", node, what);
        return new CounterConfig(name, table, help, labels(m, what), false, null, yaml.source(node));
    }

    private HistogramConfig histogram(Node node) throws ConfigException {
        Map<String, YamlNodes.Entry> m = yaml.mapping(node, "histogram", HISTOGRAM);
        String name = yaml.requiredString(m, "name", node, "histogram");
        String what = "histogram \"" + name + "\"";
        String help = yaml.requiredString(m, "help", node, what);
        String table = yaml.requiredString(m, "table", node, what);
        String typeText = yaml.requiredString(m, "bucket_type", node, what);
        BucketType type;
        try {
            type = BucketType.valueOf(typeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw yaml.error(m.get("bucket_type").value(), what + ": unknown bucket_type \"" + typeText + "\"");
        }
        double multiplier = yaml.number(m, "bucket_multiplier", 1.0, what);
        int min = (int) yaml.integer(m, "bucket_min", 0, what);
        int max = (int) yaml.integer(m, "bucket_max", 0, what);
        List<Double> keys = new ArrayList<>();
        if (m.containsKey("bucket_keys")) {
            for (Node k : yaml.sequence(m.get("bucket_keys").value(), what + ".bucket_keys")) {
                keys.add(yaml.number(k, what + ".bucket_keys"));
            }
        }
        if (type == BucketType.FIXED && keys.isEmpty()) {
            throw yaml.error(node, what + ": bucket_keys is required for bucket_type fixed");
        }
        if (type != BucketType.FIXED && max < min) {
            throw yaml.error(node, what + ": bucket_max is less than bucket_min");
        }
        List<LabelConfig> labels = labels(m, what);
        if (labels.isEmpty()) {
            throw yaml.error(node, what + ": needs at least the bucket label");
        }
        return new HistogramConfig(name, table, help, type, multiplier, min, max, keys, labels, yaml.source(node));
    }

    private List<LabelConfig> labels(Map<String, YamlNodes.Entry> m, String what) throws ConfigException {
        List<LabelConfig> labels = new ArrayList<>();
        if (!m.containsKey("labels")) {
            return labels;
        }
        for (Node node : yaml.sequence(m.get("labels").value(), what + ".labels")) {
            Map<String, YamlNodes.Entry> l = yaml.mapping(node, "label", LABEL);
            String name = yaml.requiredString(l, "name", node, what + " label");
            String lw = what + " label \"" + name + "\"";
            long size = yaml.integer(l, "size", -1, lw);
            if (size <= 0) {
                throw yaml.error(node, lw + ": size is required and must be positive");
            }
            long padding = yaml.integer(l, "padding", 0, lw);
            if (padding < 0) {
                throw yaml.error(node, lw + ": padding must not be negative");
            }
            List<DecoderConfig> decoders = new ArrayList<>();
            if (l.containsKey("decoders")) {
                for (Node d : yaml.sequence(l.get("decoders").value(), lw + ".decoders")) {
                    decoders.add(decoder(d, lw));
                }
            }
            labels.add(new LabelConfig(name, (int) size, (int) padding, decoders, yaml.source(node)));
        }
        return labels;
    }

    private DecoderConfig decoder(Node node, String what) throws ConfigException {
        Map<String, YamlNodes.Entry> d = yaml.mapping(node, "decoder", DECODER);
        String name = yaml.requiredString(d, "name", node, what + " decoder");
        Map<String, String> staticMap = new LinkedHashMap<>();
        if (d.containsKey("static_map") && !YamlNodes.isNull(d.get("static_map").value())) {
            for (YamlNodes.Entry e : yaml.mapping(d.get("static_map").value(), "static_map", null).values()) {
                staticMap.put(e.key(), yaml.scalar(e.value(), "static_map." + e.key()));
            }
        }
        List<String> regexps = new ArrayList<>();
        if (d.containsKey("regexps")) {
            for (Node r : yaml.sequence(d.get("regexps").value(), "regexps")) {
                regexps.add(yaml.scalar(r, "regexps"));
            }
        }
        return new DecoderConfig(name, staticMap, regexps, yaml.bool(d, "allow_unknown", "decoder"), yaml.source(node));
    }

    private List<String> strings(Map<String, YamlNodes.Entry> m, String key) throws ConfigException {
        List<String> out = new ArrayList<>();
        if (m.containsKey(key)) {
            for (Node n : yaml.sequence(m.get(key).value(), key)) {
                out.add(yaml.scalar(n, key));
            }
        }
        return out;
    }
}
