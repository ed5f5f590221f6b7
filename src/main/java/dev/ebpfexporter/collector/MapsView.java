package dev.ebpfexporter.collector;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.bpf.MapEntries;
import dev.ebpfexporter.bpf.MapType;
import dev.ebpfexporter.config.MetricConfig;
import dev.ebpfexporter.metrics.DecoderFactory;
import dev.ebpfexporter.metrics.KeyLabels;
import dev.ebpfexporter.metrics.MapMetric;
import dev.ebpfexporter.metrics.MetricSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Every map of every loaded config with its entries, for {@code /maps} (with {@code --debug}). Entries
 * of maps a metric reads carry the labels their keys decode to (the histogram bucket label included)
 * and the u64 value summed over CPUs; every entry carries its raw key and value in hex. Maps that
 * cannot be read as key/value (perf event arrays, ring buffers) are listed without entries.
 */
public final class MapsView {
    private static final Logger LOG = LoggerFactory.getLogger(MapsView.class);
    /** At most this many entries per map; the rest are counted, not shown. */
    static final int MAX_ENTRIES = 10_000;

    /** The maps of one loaded config. */
    public record ConfigMaps(String name, List<MapInfo> maps) {
    }

    /**
     * One map. {@code entries} is empty for maps that are not key/value, {@code error} set when reading
     * failed; {@code count} counts every entry, shown or not.
     */
    public record MapInfo(String name, String type, int keySize, int valueSize, int maxEntries, List<String> metrics,
                          Optional<String> error, Optional<List<Entry>> entries, int count) {
        public boolean truncated() {
            return entries.isPresent() && entries.get().size() < count;
        }
    }

    /** One entry: key and value in hex; labels when a metric reads the map; the u64 sum for 8-byte values. */
    public record Entry(String key, String value, Optional<KeyLabels.Decoded> labels, Optional<String> u64) {
    }

    private final Supplier<List<LoadedConfig>> configs;
    private final DecoderFactory decoders;
    private final Map<MetricConfig, KeyLabels> keyLabels = new IdentityHashMap<>();

    public MapsView(Supplier<List<LoadedConfig>> configs, DecoderFactory decoders) {
        this.configs = configs;
        this.decoders = decoders;
    }

    /** The maps of every loaded config, or of the one named {@code only}; empty when no loaded config has that name. */
    public Optional<List<ConfigMaps>> read(Optional<String> only) {
        List<LoadedConfig> loaded = configs.get();
        if (only.isPresent()) {
            loaded = loaded.stream().filter(c -> c.name().equals(only.get())).toList();
            if (loaded.isEmpty()) {
                return Optional.empty();
            }
        }
        List<ConfigMaps> result = new ArrayList<>();
        for (LoadedConfig config : loaded) {
            List<MapInfo> maps = new ArrayList<>();
            for (BpfMap map : config.object().maps()) {
                maps.add(map(map, metricsOf(config, map)));
            }
            result.add(new ConfigMaps(config.name(), maps));
        }
        return Optional.of(result);
    }

    private static List<MapMetric> metricsOf(LoadedConfig config, BpfMap map) {
        List<MapMetric> result = new ArrayList<>();
        for (MetricSource source : config.metrics()) {
            if (source instanceof MapMetric metric && metric.map() == map) {
                result.add(metric);
            }
        }
        return result;
    }

    private MapInfo map(BpfMap map, List<MapMetric> metrics) {
        List<String> names = metrics.stream().map(m -> m.config().name()).toList();
        if (map.type() == MapType.PERF_EVENT_ARRAY || map.type() == MapType.RINGBUF) {
            return info(map, names, Optional.empty(), Optional.empty(), 0);
        }
        MapEntries entries;
        try {
            entries = map.readAll();
        } catch (BpfException | RuntimeException e) {
            LOG.debug("map {}: not read for /maps", map.name(), e);
            return info(map, names, Optional.of(String.valueOf(e.getMessage())), Optional.empty(), 0);
        }
        Optional<KeyLabels> labels = metrics.isEmpty() ? Optional.empty()
                : Optional.of(keyLabels(metrics.getFirst().config(), map));
        int shown = Math.min(entries.count(), MAX_ENTRIES);
        HexFormat hex = HexFormat.of();
        List<Entry> list = new ArrayList<>(shown);
        for (int i = 0; i < shown; i++) {
            int keyOffset = i * entries.keySize();
            int valueOffset = i * entries.valueStride();
            Optional<KeyLabels.Decoded> decoded = labels.map(l -> l.decode(entries.keys(), keyOffset));
            Optional<String> u64 = labels.isPresent() && entries.valueSize() == 8
                    ? Optional.of(Long.toUnsignedString(entries.u64Sum(i))) : Optional.empty();
            list.add(new Entry(hex.formatHex(entries.keys(), keyOffset, keyOffset + entries.keySize()),
                    hex.formatHex(entries.values(), valueOffset, valueOffset + entries.valueStride()), decoded, u64));
        }
        return info(map, names, Optional.empty(), Optional.of(list), entries.count());
    }

    private static MapInfo info(BpfMap map, List<String> metrics, Optional<String> error,
                                Optional<List<Entry>> entries, int count) {
        return new MapInfo(map.name(), MapType.name(map.type()), map.keySize(), map.valueSize(), map.maxEntries(),
                metrics, error, entries, count);
    }

    private synchronized KeyLabels keyLabels(MetricConfig config, BpfMap map) {
        return keyLabels.computeIfAbsent(config, c -> KeyLabels.of(c, map.isPerCpu(), decoders));
    }
}
