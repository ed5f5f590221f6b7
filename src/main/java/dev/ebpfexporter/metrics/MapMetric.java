package dev.ebpfexporter.metrics;

import dev.ebpfexporter.bpf.BpfException;
import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.bpf.MapEntries;
import dev.ebpfexporter.bpf.MapType;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.CounterConfig;
import dev.ebpfexporter.config.HistogramConfig;
import dev.ebpfexporter.config.LabelConfig;
import dev.ebpfexporter.config.MetricConfig;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/** One configured metric bound to the map it reads: a scrape reads the map and builds a snapshot. */
public final class MapMetric implements MetricSource {
    private final MetricConfig config;
    private final BpfMap map;
    private final Function<MapEntries, MetricSnapshot> family;
    private final SeriesLimit limit;

    private MapMetric(MetricConfig config, BpfMap map, Function<MapEntries, MetricSnapshot> family, SeriesLimit limit) {
        this.config = config;
        this.map = map;
        this.family = family;
        this.limit = limit;
    }

    /**
     * Binds {@code config} to {@code map}, checking the key layout against the map's key size.
     *
     * @param decoderErrors the config's decoder error count, shared by its metrics
     */
    public static MapMetric bind(MetricConfig config, BpfMap map, DecoderFactory decoders, LongAdder decoderErrors,
                                 int seriesLimit) throws ConfigException {
        if (map.type() == MapType.PERF_EVENT_ARRAY || map.type() == MapType.RINGBUF) {
            throw new ConfigException(config.source(), "metric " + config.name() + ": map " + map.name() + " is a "
                    + MapType.name(map.type()) + ", which cannot be read as a counter map"
                    + (map.type() == MapType.PERF_EVENT_ARRAY ? " (set perf_event_array: true)" : ""));
        }
        if (map.valueSize() != 8) {
            throw new ConfigException(config.source(), "metric " + config.name() + ": map " + map.name()
                    + " has " + map.valueSize() + "-byte values; metrics read u64 (8-byte) values");
        }
        SeriesLimit limit = new SeriesLimit(seriesLimit);
        Function<MapEntries, MetricSnapshot> family = family(config, map.isPerCpu(), map.keySize(), decoders,
                decoderErrors, limit);
        return new MapMetric(config, map, family, limit);
    }

    /**
     * The entries-to-snapshot function for {@code config}: key layout checked against the map's key
     * size, decoder chains built, the {@code cpu} label split off for per-CPU maps.
     */
    static Function<MapEntries, MetricSnapshot> family(MetricConfig config, boolean perCpuMap, int mapKeySize,
                                                       DecoderFactory decoders, LongAdder decoderErrors,
                                                       SeriesLimit limit) throws ConfigException {
        List<LabelConfig> keyLabels = config.labels();
        boolean seriesPerCpu = config instanceof CounterConfig && perCpuMap && !keyLabels.isEmpty()
                && keyLabels.getLast().name().equals("cpu");
        if (seriesPerCpu) {
            keyLabels = keyLabels.subList(0, keyLabels.size() - 1); // the cpu label is not in the key
        }
        KeyLayout layout = KeyLayout.of(keyLabels);
        layout.checkAgainst(config, mapKeySize);
        List<LabelChain> chains = new ArrayList<>();
        for (LabelConfig label : keyLabels) {
            if (!PrometheusNaming.isValidLabelName(label.name())) {
                throw new ConfigException(label.source(), "label name \"" + label.name() + "\" is not a valid Prometheus label name");
            }
            chains.add(LabelChain.of(label, decoders));
        }
        return switch (config) {
            case CounterConfig counter -> {
                KeyDecoder keyDecoder = new KeyDecoder(layout, chains, false, decoderErrors);
                yield new CounterFamily(metadata(counter, MetricNames.counter(counter.name())),
                        MetricNames.isTypedCounter(counter.name()), keyDecoder,
                        seriesPerCpu, limit)::snapshot;
            }
            case HistogramConfig histogram -> {
                if (chains.isEmpty()) {
                    throw new ConfigException(histogram.source(), "histogram " + histogram.name()
                            + ": needs at least one label, the bucket index (last label)");
                }
                KeyDecoder keyDecoder = new KeyDecoder(layout, chains, true, decoderErrors);
                yield new HistogramFamily(metadata(histogram, MetricNames.histogram(histogram.name())), keyDecoder,
                        HistogramBuckets.of(histogram), limit)::snapshot;
            }
        };
    }

    private static MetricMetadata metadata(MetricConfig config, String name) throws ConfigException {
        if (!PrometheusNaming.isValidMetricName(name)) {
            throw new ConfigException(config.source(), "metric name \"" + config.name() + "\" does not make a valid Prometheus name");
        }
        return new MetricMetadata(name, config.help());
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

    /** Reads the map (batched) and builds this scrape's snapshot. */
    @Override
    public MetricSnapshot collect() throws BpfException {
        return family.apply(map.readAll());
    }

    /** Builds a snapshot from entries read elsewhere (tests, benchmarks). */
    public MetricSnapshot snapshot(MapEntries entries) {
        return family.apply(entries);
    }
}
