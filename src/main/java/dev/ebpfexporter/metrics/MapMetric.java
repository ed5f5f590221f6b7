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
import dev.ebpfexporter.config.SeriesOptions;
import dev.ebpfexporter.exposition.Family;
import dev.ebpfexporter.exposition.FamilyMetadata;
import dev.ebpfexporter.exposition.LabelSet;
import dev.ebpfexporter.exposition.MetricType;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * One configured metric bound to the map it reads: a scrape reads the map, builds its families and,
 * with {@code expire_after}, deletes the keys of series that stopped changing.
 */
public final class MapMetric implements MetricSource {
    private static final Logger LOG = LoggerFactory.getLogger(MapMetric.class);
    private final MetricConfig config;
    private final BpfMap map;
    private final PlannedFamily family;
    private final List<PlannedFamily> families;
    private final SeriesLimit limit;
    private final KeyExpiry expiry; // null without expire_after
    private final AtomicBoolean deleteFailureLogged = new AtomicBoolean();

    private MapMetric(MetricConfig config, BpfMap map, List<PlannedFamily> families, SeriesLimit limit,
                      KeyExpiry expiry) {
        this.config = config;
        this.map = map;
        this.family = families.getFirst();
        this.families = List.copyOf(families);
        this.limit = limit;
        this.expiry = expiry;
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
        if (config.series().expiry().isPresent() && (map.type() == MapType.ARRAY || map.type() == MapType.PERCPU_ARRAY)) {
            throw new ConfigException(config.series().expireAt(), "metric " + config.name() + ": expire_after: the keys"
                    + " of map " + map.name() + " (" + MapType.name(map.type()) + ") cannot be deleted: every slot of"
                    + " an array always exists");
        }
        SeriesLimit limit = new SeriesLimit(options.seriesLimit(), config.source() + ": metric " + config.name());
        KeyExpiry expiry = config.series().expiry().map(after -> new KeyExpiry(after, System::nanoTime)).orElse(null);
        return new MapMetric(config, map, families(config, map.isPerCpu(), map.keySize(), decoders, decoderErrors, limit,
                options.nativeHistograms()), limit, expiry);
    }

    /**
     * The entries-to-family functions for {@code config} (one, or one per value of a multi-value
     * counter): key layout checked against the map's key size, decoder chains built, the {@code cpu}
     * label split off for per-CPU maps.
     */
    static List<PlannedFamily> families(MetricConfig config, boolean perCpuMap, int mapKeySize,
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
            LabelSet overflow = overflowLabels(config, keyLabels, false, seriesPerCpu);
            List<PlannedFamily> families = new ArrayList<>();
            for (int i = 0; i < counter.values().size(); i++) {
                var value = counter.values().get(i);
                KeyDecoder keyDecoder = new KeyDecoder(layout, chains, false, decoderErrors);
                families.add(new CounterFamily(metadataNamed(value.source(), value.name(), value.help(),
                        MetricNames.counter(value.name()), MetricType.COUNTER), keyDecoder,
                        seriesPerCpu, limit, overflow, 8 * i));
            }
            return List.copyOf(families);
        }
        PlannedFamily family = switch (config) {
            case CounterConfig counter -> {
                KeyDecoder keyDecoder = new KeyDecoder(layout, chains, false, decoderErrors);
                yield new CounterFamily(metadata(counter, MetricNames.counter(counter.name()), MetricType.COUNTER),
                        keyDecoder, seriesPerCpu, limit, overflowLabels(config, keyLabels, false, seriesPerCpu), 0);
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
                        keyDecoder, buckets, NativeChoice.of(histogram, buckets, nativeHistograms), seriesPerCpu, limit,
                        overflowLabels(config, keyLabels, true, seriesPerCpu));
            }
        };
        return List.of(family);
    }

    /**
     * The labels of {@code overflow_series}: every exposed label (the {@code cpu} of per-CPU series
     * too) set to {@link SeriesOptions#OVERFLOW_VALUE}; null when not asked for, or when the metric has
     * no labels and so only one series.
     */
    private static LabelSet overflowLabels(MetricConfig config, List<LabelConfig> keyLabels, boolean bucketLast,
                                           boolean seriesPerCpu) {
        if (!config.series().overflowSeries()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < keyLabels.size() - (bucketLast ? 1 : 0); i++) {
            names.add(keyLabels.get(i).name());
        }
        if (seriesPerCpu) {
            names.add("cpu");
        }
        if (names.isEmpty()) {
            return null;
        }
        String[] sorted = names.stream().sorted().toArray(String[]::new);
        String[] values = new String[sorted.length];
        Arrays.fill(values, SeriesOptions.OVERFLOW_VALUE);
        return LabelSet.of(sorted, values);
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
        MapEntries entries = map.readAll();
        List<Family> result = new ArrayList<>(families.size());
        for (PlannedFamily f : families) {
            result.add(f.snapshot(entries));
        }
        expire(entries);
        return result;
    }

    /** Reads the map (batched) and builds this scrape's family (the first value's, for multi-value counters). */
    @Override
    public Family collect() throws BpfException {
        MapEntries entries = map.readAll();
        Family result = family.snapshot(entries);
        expire(entries);
        return result;
    }

    /**
     * Deletes the keys of series idle for {@code expire_after}. They are in this scrape with their last
     * values, and gone from the next. A delete the kernel refuses does not fail the scrape: it is
     * logged (once) and tried again at the next.
     */
    private void expire(MapEntries entries) {
        if (expiry != null) {
            SeriesPlan plan = family.planFor(entries);
            try {
                expiry.scrape(entries, plan::seriesOfEntry, plan.series(), map::delete);
            } catch (BpfException e) {
                if (deleteFailureLogged.compareAndSet(false, true)) {
                    LOG.warn("metric {}: expire_after cannot delete keys: {}", config.name(), e.getMessage(), e);
                }
            }
        }
    }

    /** Keys deleted by {@code expire_after}; empty for a metric without it. */
    @Override
    public OptionalLong expiredKeys() {
        return expiry == null ? OptionalLong.empty() : OptionalLong.of(expiry.expired());
    }

    /** Builds the family from entries read elsewhere (tests, benchmarks); nothing expires. */
    public Family snapshot(MapEntries entries) {
        return family.snapshot(entries);
    }
}
