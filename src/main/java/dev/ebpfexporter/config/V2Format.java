package dev.ebpfexporter.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Maps a composed v2 config ({@code metrics}, {@code tracing}, {@code kaddrs}, {@code cgroup_id_map}) onto records. */
final class V2Format {
    // `name` is accepted and ignored like the reference does (its Config struct has it; the file name wins).
    static final Set<String> TOP_KEYS = Set.of("metrics", "tracing", "kaddrs", "cgroup_id_map", "name");
    static final Set<String> TRACING_KEYS = Set.of("spans");
    static final Set<String> SPAN_KEYS = Set.of("ringbuf", "name", "service", "labels");
    static final Set<String> CGROUP_ID_MAP_KEYS = Set.of("name", "type", "regexps");
    static final List<String> CGROUP_ID_MAP_TYPES = List.of("hash", "cgrp_storage");

    private final MetricReader metricReader = new MetricReader(false);

    ExporterConfig read(String name, Path file, Path objectFile, YamlMap root) throws ConfigException {
        // A top level without a single known key is no config of this format (a file named by mistake, a
        // misspelt "metrics"): its first key is the error, instead of one warning per line of that file.
        boolean known = root.keys().stream().anyMatch(TOP_KEYS::contains);
        root.allowOnly(TOP_KEYS, known ? root.node().unknownKeys() : UnknownKeys.REFUSE);
        MetricReader.Metrics metrics = metricReader.metrics(root.get("metrics"));
        List<CounterConfig> counters = metrics.counters();
        List<HistogramConfig> histograms = metrics.histograms();
        List<SpanConfig> spans = new ArrayList<>();
        if (root.get("tracing").isPresent()) {
            YamlMap tracing = root.get("tracing").get().asMap().allowOnly(TRACING_KEYS);
            for (YamlNode item : list(tracing.get("spans"))) {
                spans.add(span(item));
            }
        }
        if (counters.isEmpty() && histograms.isEmpty() && spans.isEmpty()) {
            throw root.node().error("defines no metrics (metrics.counters, metrics.histograms) and no tracing spans");
        }
        checkUniqueNames(root);
        List<String> kaddrs = LabelReader.strings(root.get("kaddrs"));
        Optional<CgroupIdMapConfig> cgroupIdMap = root.get("cgroup_id_map").isPresent()
                ? Optional.of(cgroupIdMap(root.get("cgroup_id_map").get()))
                : Optional.empty();
        return new ExporterConfig(name, file, objectFile, counters, histograms, spans, kaddrs, cgroupIdMap);
    }

    private static SpanConfig span(YamlNode item) throws ConfigException {
        YamlMap map = item.asMap().allowOnly(SPAN_KEYS);
        String ringbuf = map.requireString("ringbuf");
        String name = map.requireString("name");
        String service = map.string("service", "");
        return new SpanConfig(ringbuf, name, service, LabelReader.labels(map.get("labels")), item.source());
    }

    /** {@code type} defaults to {@code hash}, as in the reference (maps made before cgrp_storage existed). */
    private static CgroupIdMapConfig cgroupIdMap(YamlNode node) throws ConfigException {
        YamlMap map = node.asMap().allowOnly(CGROUP_ID_MAP_KEYS);
        String name = map.requireString("name");
        String type = "hash";
        if (map.get("type").isPresent()) {
            YamlNode typeNode = map.get("type").get();
            type = typeNode.asString();
            if (!CGROUP_ID_MAP_TYPES.contains(type)) {
                throw typeNode.error("unknown cgroup_id_map type " + YamlNode.quote(type)
                        + DidYouMean.suggest(type, CGROUP_ID_MAP_TYPES));
            }
        }
        return new CgroupIdMapConfig(name, type, LabelReader.strings(map.get("regexps")), node.source());
    }

    /** Counters and histograms share one namespace: a name is both the exposed metric and the BPF map. */
    private static void checkUniqueNames(YamlMap root) throws ConfigException {
        YamlMap metrics = root.get("metrics").isPresent() ? root.get("metrics").get().asMap() : null;
        if (metrics == null) {
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (String kind : List.of("counters", "histograms")) {
            for (YamlNode item : list(metrics.get(kind))) {
                YamlNode nameNode = item.asMap().require("name");
                Integer first = seen.putIfAbsent(nameNode.asString(), nameNode.source().line());
                if (first != null) {
                    throw nameNode.error("duplicate metric name " + YamlNode.quote(nameNode.asString())
                            + " (first on line " + first + ")");
                }
            }
        }
    }

    private static List<YamlNode> list(Optional<YamlNode> node) throws ConfigException {
        return node.isPresent() ? node.get().asList() : List.of();
    }
}
