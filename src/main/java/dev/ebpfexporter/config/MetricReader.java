package dev.ebpfexporter.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads counter and histogram entries. In v2 configs the BPF map is the metric's name; in the inline
 * format (bcc package) {@code table:} names the map.
 */
public final class MetricReader {
    // `values` (one counter per u64 of the value) is accepted because the reference accepts it.
    static final Set<String> METRICS_KEYS = Set.of("counters", "histograms");
    // expire_after and overflow_series are ours (SeriesOptions).
    static final Set<String> COUNTER_KEYS = Set.of("name", "help", "labels", "perf_event_array", "flush_interval",
            "values", "expire_after", "overflow_series");
    static final Set<String> HISTOGRAM_KEYS = Set.of("name", "help", "bucket_type", "bucket_multiplier",
            "bucket_min", "bucket_max", "bucket_keys", "labels", "native_histogram", "expire_after", "overflow_series");
    // The inline format's counters name their BCC table; perf_map (BPF_PERF_OUTPUT) is known but refused.
    static final Set<String> INLINE_COUNTER_KEYS = Set.of("name", "help", "table", "labels", "perf_map",
            "perf_map_flush_duration", "expire_after", "overflow_series");
    static final Set<String> VALUE_KEYS = Set.of("name", "help");
    private static final List<String> BUCKET_TYPES =
            List.of(BucketType.values()).stream().map(BucketType::yamlName).toList();

    private final boolean tableKey;

    /** @param tableKey the inline format: {@code table:} names the map and is required; v2 configs pass false */
    public MetricReader(boolean tableKey) {
        this.tableKey = tableKey;
    }

    /** The counters and histograms of a {@code metrics:} map. */
    public record Metrics(List<CounterConfig> counters, List<HistogramConfig> histograms) {
    }

    /** Reads {@code metrics: {counters: [...], histograms: [...]}}; absent or null: none. */
    public Metrics metrics(Optional<YamlNode> node) throws ConfigException {
        List<CounterConfig> counters = new ArrayList<>();
        List<HistogramConfig> histograms = new ArrayList<>();
        if (node.isPresent()) {
            YamlMap metrics = node.get().asMap().allowOnly(METRICS_KEYS);
            for (YamlNode item : metrics.get("counters").isPresent() ? metrics.get("counters").get().asList() : List.<YamlNode>of()) {
                counters.add(counter(item));
            }
            for (YamlNode item : metrics.get("histograms").isPresent() ? metrics.get("histograms").get().asList() : List.<YamlNode>of()) {
                histograms.add(histogram(item));
            }
        }
        return new Metrics(List.copyOf(counters), List.copyOf(histograms));
    }

    public CounterConfig counter(YamlNode item) throws ConfigException {
        YamlMap map = item.asMap().allowOnly(tableKey ? INLINE_COUNTER_KEYS : COUNTER_KEYS);
        String name = map.requireString("name");
        for (String perfMap : List.of("perf_map", "perf_map_flush_duration")) {
            if (tableKey && map.has(perfMap)) {
                String why = "is not supported (BPF_PERF_OUTPUT is not supported)";
                throw map.get(perfMap).map(n -> n.error(why)).orElseGet(() -> map.missing(perfMap, why));
            }
        }
        String help = map.requireString("help");
        List<LabelConfig> labels = LabelReader.labels(map.get("labels"));
        boolean perfEventArray = map.get("perf_event_array").isPresent() && map.get("perf_event_array").get().asBoolean();
        Duration flush = Duration.ZERO;
        if (map.get("flush_interval").isPresent()) {
            YamlNode node = map.get("flush_interval").get();
            flush = node.asDuration();
            if (flush.isNegative()) {
                throw node.error("must not be negative, got " + node.describe());
            }
        }
        List<ValueConfig> values = new ArrayList<>();
        for (YamlNode value : map.get("values").isPresent() ? map.get("values").get().asList() : List.<YamlNode>of()) {
            YamlMap v = value.asMap().allowOnly(VALUE_KEYS);
            values.add(new ValueConfig(v.requireString("name"), v.requireString("help"), value.source()));
        }
        SeriesOptions series = seriesOptions(map);
        if (perfEventArray) {
            for (String key : List.of("expire_after", "overflow_series")) {
                if (map.get(key).isPresent()) {
                    throw map.get(key).get().error("is for counters read from a map; a perf_event_array counter"
                            + " forgets its series every flush_interval");
                }
            }
        }
        return new CounterConfig(name, mapName(map, name), help, labels, perfEventArray, flush, values, series,
                item.source());
    }

    public HistogramConfig histogram(YamlNode item) throws ConfigException {
        YamlMap map = item.asMap().allowOnly(keys(HISTOGRAM_KEYS));
        String name = map.requireString("name");
        String help = map.requireString("help");
        BucketType type = bucketType(map.require("bucket_type"));
        double multiplier = multiplier(map.get("bucket_multiplier"));
        int min = map.get("bucket_min").isPresent() ? map.get("bucket_min").get().asInt() : 0;
        int max = map.get("bucket_max").isPresent() ? map.get("bucket_max").get().asInt() : 0;
        if (min > max) {
            YamlNode at = map.get("bucket_min").orElseGet(() -> map.get("bucket_max").orElseThrow());
            throw at.error("bucket_min (" + min + ") is greater than bucket_max (" + max + ")");
        }
        List<Double> keys = bucketKeys(map.get("bucket_keys"));
        String tooMany = HistogramLimits.problem(type, min, max, keys.size());
        if (tooMany != null) {
            YamlNode at = map.get(type == BucketType.FIXED ? "bucket_keys" : "bucket_max")
                    .or(() -> map.get("bucket_min")).orElse(map.node());
            throw at.error(tooMany);
        }
        if (type == BucketType.FIXED && keys.isEmpty()) {
            throw map.get("bucket_keys").map(n -> n.error("must not be empty for bucket_type \"fixed\""))
                    .orElseGet(() -> map.missing("bucket_keys", "required for bucket_type \"fixed\""));
        }
        List<LabelConfig> labels = LabelReader.labels(map.get("labels"));
        if (labels.isEmpty()) {
            String why = "a histogram needs at least one label (the last one is the bucket index)";
            throw map.get("labels").map(n -> n.error(why)).orElseGet(() -> map.node().error(why));
        }
        Optional<YamlNode> nativeNode = map.get("native_histogram");
        Boolean nativeHistogram = nativeNode.isPresent() ? nativeNode.get().asBoolean() : null;
        return new HistogramConfig(name, mapName(map, name), help, type, multiplier, min, max, keys, labels,
                nativeHistogram, seriesOptions(map), item.source());
    }

    /** {@code expire_after} (a positive Go duration) and {@code overflow_series} (a bool). */
    private static SeriesOptions seriesOptions(YamlMap map) throws ConfigException {
        Duration expireAfter = null;
        Source expireAt = Source.NONE;
        Optional<YamlNode> expire = map.get("expire_after");
        if (expire.isPresent()) {
            expireAfter = expire.get().asDuration();
            if (expireAfter.isNegative() || expireAfter.isZero()) {
                throw expire.get().error("must be a positive duration, got " + expire.get().describe());
            }
            expireAt = expire.get().source();
        }
        Optional<YamlNode> overflow = map.get("overflow_series");
        return new SeriesOptions(expireAfter, expireAt, overflow.isPresent() && overflow.get().asBoolean());
    }

    private Set<String> keys(Set<String> base) {
        if (!tableKey) {
            return base;
        }
        Set<String> withTable = new HashSet<>(base);
        withTable.add("table");
        return withTable;
    }

    private String mapName(YamlMap map, String name) throws ConfigException {
        return tableKey ? map.requireString("table") : name;
    }

    private static BucketType bucketType(YamlNode node) throws ConfigException {
        String text = node.asString();
        if (!BUCKET_TYPES.contains(text)) {
            throw node.error("unknown bucket type " + YamlNode.quote(text) + DidYouMean.suggest(text, BUCKET_TYPES));
        }
        return BucketType.valueOf(text.toUpperCase(Locale.ROOT));
    }

    /** Default 1; the reference also treats an explicit 0 as 1. */
    private static double multiplier(Optional<YamlNode> node) throws ConfigException {
        if (node.isEmpty()) {
            return 1.0;
        }
        double value = node.get().asDouble();
        if (value < 0) {
            throw node.get().error("expected a positive number, got " + node.get().describe());
        }
        return value == 0 ? 1.0 : value;
    }

    /** Keys must ascend strictly: buckets are cumulative in key order. */
    private static List<Double> bucketKeys(Optional<YamlNode> list) throws ConfigException {
        List<Double> keys = new ArrayList<>();
        for (YamlNode item : list.isPresent() ? list.get().asList() : List.<YamlNode>of()) {
            double key = item.asDouble();
            if (!keys.isEmpty() && key <= keys.getLast()) {
                throw item.error("bucket keys must be in ascending order, got " + item.describe()
                        + " after " + YamlNode.number(keys.getLast()));
            }
            keys.add(key);
        }
        return keys;
    }
}
