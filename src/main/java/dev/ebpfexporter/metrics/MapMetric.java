package dev.ebpfexporter.metrics;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.bpf.MapEntries;
import dev.ebpfexporter.bpf.MapType;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.CounterConfig;
import dev.ebpfexporter.config.HistogramConfig;
import dev.ebpfexporter.config.LabelConfig;
import dev.ebpfexporter.config.MetricConfig;
import dev.ebpfexporter.exposition.Family;
import dev.ebpfexporter.exposition.FamilyMetadata;
import dev.ebpfexporter.exposition.MetricType;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/** One configured metric bound to the map it reads: a scrape reads the map and builds its families. */
public final class MapMetric implements MetricSource {
    private final MetricConfig config;
    private final BpfMap map;
    private final Function<MapEntries, Family> family;
    private final List<Function<MapEntries, Family>> families;
    private final SeriesLimit limit;

    private MapMetric(MetricConfig config, BpfMap map, List<Function<MapEntries, Family>> families,
                      SeriesLimit limit) {
        this.config = config;
        this.map = map;
        this.family = families.getFirst();
        this.families = List.copyOf(families);
        this.limit = limit;
    }

    /**
     * Binds {@code config} to {@code map}, checking the key layout against the map's key size.
     *
     * @param decoderErrors the config's decoder error count, shared by its metrics
     */
    public static MapMetric bind(MetricConfig config, BpfMap map, DecoderFactory decoders, LongAdder decoderErrors,
                                 MetricOptions options) throws ConfigException {
        if (map.type() == MapType.PERF_EVENT_ARRAY || map.type() == MapType.RINGBUF) {
            throw new ConfigException(config.source(), "metric " + config.name() + ": map " + map.name() + " is a "
                    + MapType.name(map.type()) + ", which cannot be read as a counter map"
                    + (map.type() == MapType.PERF_EVENT_ARRAY ? " (set perf_event_array: true)" : ""));
        }
        int valueCount = config instanceof CounterConfig counter && !counter.values().isEmpty()
                ? counter.values().size() : 1;
        if (map.valueSize() != 8 * valueCount) {
            throw new ConfigException(config.source(), "metric " + config.name() + ": map " + map.name()
                    + " has " + map.valueSize() + "-byte values; " + (valueCount == 1
                    ? "metrics read u64 (8-byte) values"
                    : "its " + valueCount + " values need " + 8 * valueCount + " bytes (one u64 each)"));
        }
        SeriesLimit limit = new SeriesLimit(options.seriesLimit());
        return new MapMetric(config, map, families(config, map.isPerCpu(), map.keySize(), decoders, decoderErrors, limit,
                options.nativeHistograms()), limit);
    }

    /**
     * The entries-to-family functions for {@code config} (one, or one per value of a multi-value
     * counter): key layout checked against the map's key size, decoder chains built, the {@code cpu}
     * label split off for per-CPU maps.
     */
    static List<Function<MapEntries, Family>> families(MetricConfig config, boolean perCpuMap, int mapKeySize,
                                                               DecoderFactory decoders, LongAdder decoderErrors,
                                                               SeriesLimit limit, boolean nativeHistograms)
            throws ConfigException {
        boolean seriesPerCpu = KeyLabels.cpuNotInKey(config, perCpuMap);
        List<LabelConfig> keyLabels = KeyLabels.inKey(config, perCpuMap);
        KeyLayout layout = KeyLayout.of(keyLabels);
        layout.checkAgainst(config, mapKeySize);
        List<LabelChain> chains = new ArrayList<>();
        for (LabelConfig label : keyLabels) {
            if (!PrometheusNaming.isValidLabelName(label.name())) {
                throw new ConfigException(label.source(), "label name \"" + label.name() + "\" is not a valid Prometheus label name");
            }
            chains.add(LabelChain.of(label, decoders));
        }
        if (config instanceof CounterConfig counter && !counter.values().isEmpty()) {
            List<Function<MapEntries, Family>> families = new ArrayList<>();
            for (int i = 0; i < counter.values().size(); i++) {
                var value = counter.values().get(i);
                KeyDecoder keyDecoder = new KeyDecoder(layout, chains, false, decoderErrors);
                families.add(new CounterFamily(metadataNamed(value.source(), value.name(), value.help(),
                        MetricNames.counter(value.name()), MetricType.COUNTER), keyDecoder,
                        seriesPerCpu, limit, 8 * i)::snapshot);
            }
            return List.copyOf(families);
        }
        Function<MapEntries, Family> family = switch (config) {
            case CounterConfig counter -> {
                KeyDecoder keyDecoder = new KeyDecoder(layout, chains, false, decoderErrors);
                yield new CounterFamily(metadata(counter, MetricNames.counter(counter.name()), MetricType.COUNTER),
                        keyDecoder, seriesPerCpu, limit, 0)::snapshot;
            }
            case HistogramConfig histogram -> {
                if (chains.isEmpty()) {
                    throw new ConfigException(histogram.source(), "histogram " + histogram.name()
                            + ": needs at least one label in the key, the bucket index (the last label, or the one before a last"
                            + " cpu label on a per-CPU map)");
                }
                KeyDecoder keyDecoder = new KeyDecoder(layout, chains, true, decoderErrors);
                HistogramBuckets buckets = HistogramBuckets.of(histogram);
                yield new HistogramFamily(metadata(histogram, MetricNames.histogram(histogram.name()), MetricType.HISTOGRAM),
                        keyDecoder, buckets, NativeChoice.of(histogram, buckets, nativeHistograms), seriesPerCpu, limit)::snapshot;
            }
        };
        return List.of(family);
    }

    /** The single family of a one-value metric (tests). */
    static Function<MapEntries, Family> family(MetricConfig config, boolean perCpuMap, int mapKeySize,
                                                       DecoderFactory decoders, LongAdder decoderErrors,
                                                       SeriesLimit limit) throws ConfigException {
        return families(config, perCpuMap, mapKeySize, decoders, decoderErrors, limit, true).getFirst();
    }

    private static FamilyMetadata metadataNamed(dev.ebpfexporter.config.Source source, String configured, String help,
                                                String name, MetricType type) throws ConfigException {
        if (!PrometheusNaming.isValidMetricName(name)) {
            throw new ConfigException(source, "metric name \"" + configured + "\" does not make a valid Prometheus name");
        }
        return new FamilyMetadata(name, help, type);
    }

    private static FamilyMetadata metadata(MetricConfig config, String name, MetricType type) throws ConfigException {
        if (!PrometheusNaming.isValidMetricName(name)) {
            throw new ConfigException(config.source(), "metric name \"" + config.name() + "\" does not make a valid Prometheus name");
        }
        return new FamilyMetadata(name, config.help(), type);
    }

    @Override
    public MetricConfig config() {
        return config;
    }

    public BpfMap map() {
        return map;
    }

    @Override
    public SeriesLimit limit() {
        return limit;
    }

    /** Reads the map once and builds every family of this metric (one per value for multi-value counters). */
    @Override
    public List<Family> collectAll() throws BpfException {
        if (families.size() == 1) {
            return List.of(collect());
        }
        MapEntries entries = map.readAll();
        List<Family> result = new ArrayList<>(families.size());
        for (Function<MapEntries, Family> f : families) {
            result.add(f.apply(entries));
        }
        return result;
    }

    /** Reads the map (batched) and builds this scrape's family (the first value's, for multi-value counters). */
    @Override
    public Family collect() throws BpfException {
        return family.apply(map.readAll());
    }

    /** Builds the family from entries read elsewhere (tests, benchmarks). */
    public Family snapshot(MapEntries entries) {
        return family.apply(entries);
    }
}
