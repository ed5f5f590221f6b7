package dev.ebpfexporter.http;

import dev.ebpfexporter.bpf.BpfException;
import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.bpf.MapEntries;
import dev.ebpfexporter.bpf.MapType;
import dev.ebpfexporter.collector.LoadedConfig;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.CounterConfig;
import dev.ebpfexporter.config.LabelConfig;
import dev.ebpfexporter.config.MetricConfig;
import dev.ebpfexporter.decoder.DecoderException;
import dev.ebpfexporter.decoder.SkipKeyException;
import dev.ebpfexporter.metrics.DecoderFactory;
import dev.ebpfexporter.metrics.KeyLayout;
import dev.ebpfexporter.metrics.LabelChain;
import dev.ebpfexporter.metrics.MapMetric;
import dev.ebpfexporter.metrics.MetricSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /maps} (with {@code --debug}): every map of every loaded config as JSON. Entries of maps a
 * metric reads carry the labels their keys decode to (the histogram bucket label included) and the
 * u64 value summed over CPUs; every entry carries its raw key and value in hex. Maps that cannot be
 * read as key/value (perf event arrays, ring buffers) are listed without entries. {@code ?config=NAME}
 * limits the output to one config; only names of loaded configs are accepted.
 */
public final class MapsView {
    /** At most this many entries per map; the rest are counted, not shown. */
    static final int MAX_ENTRIES = 10_000;

    /** The body and status of one {@code /maps} response. */
    public record Result(int status, String json) {
    }

    private final Supplier<List<LoadedConfig>> configs;
    private final DecoderFactory decoders;
    private final Map<MetricConfig, Decoding> decodings = new IdentityHashMap<>();

    public MapsView(Supplier<List<LoadedConfig>> configs, DecoderFactory decoders) {
        this.configs = configs;
        this.decoders = decoders;
    }

    /** @param query the raw query string, or null */
    public Result render(String query) {
        String only = null;
        if (query != null && !query.isEmpty()) {
            for (String part : query.split("&")) {
                if (part.startsWith("config=")) {
                    only = java.net.URLDecoder.decode(part.substring("config=".length()), StandardCharsets.UTF_8);
                } else {
                    return new Result(400, "{\"error\":" + Json.string("unknown query parameter; only config=NAME is accepted") + "}\n");
                }
            }
        }
        List<LoadedConfig> loaded = configs.get();
        if (only != null) {
            String wanted = only;
            loaded = loaded.stream().filter(c -> c.name().equals(wanted)).toList();
            if (loaded.isEmpty()) {
                return new Result(404, "{\"error\":" + Json.string("no loaded config named " + wanted) + "}\n");
            }
        }
        StringBuilder out = new StringBuilder(4096).append("{\"configs\":[");
        for (int c = 0; c < loaded.size(); c++) {
            LoadedConfig config = loaded.get(c);
            out.append(c == 0 ? "" : ",").append("{\"name\":").append(Json.string(config.name())).append(",\"maps\":[");
            List<BpfMap> maps = config.object().maps();
            for (int m = 0; m < maps.size(); m++) {
                out.append(m == 0 ? "" : ",");
                map(out, maps.get(m), metricsOf(config, maps.get(m)));
            }
            out.append("]}");
        }
        return new Result(200, out.append("]}\n").toString());
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

    private void map(StringBuilder out, BpfMap map, List<MapMetric> metrics) {
        out.append("{\"name\":").append(Json.string(map.name()))
                .append(",\"type\":").append(Json.string(MapType.name(map.type())))
                .append(",\"key_size\":").append(map.keySize())
                .append(",\"value_size\":").append(map.valueSize())
                .append(",\"max_entries\":").append(map.maxEntries())
                .append(",\"metrics\":[");
        for (int i = 0; i < metrics.size(); i++) {
            out.append(i == 0 ? "" : ",").append(Json.string(metrics.get(i).config().name()));
        }
        out.append("]");
        if (map.type() == MapType.PERF_EVENT_ARRAY || map.type() == MapType.RINGBUF) {
            out.append(",\"entries\":null}");
            return;
        }
        MapEntries entries;
        try {
            entries = map.readAll();
        } catch (BpfException | RuntimeException e) {
            out.append(",\"error\":").append(Json.string(String.valueOf(e.getMessage()))).append("}");
            return;
        }
        Decoding decoding = metrics.isEmpty() ? null : decoding(metrics.getFirst(), map);
        int shown = Math.min(entries.count(), MAX_ENTRIES);
        out.append(",\"count\":").append(entries.count()).append(",\"entries\":[");
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < shown; i++) {
            int keyOffset = i * entries.keySize();
            int valueOffset = i * entries.valueStride();
            out.append(i == 0 ? "" : ",").append("{\"key\":\"")
                    .append(hex.formatHex(entries.keys(), keyOffset, keyOffset + entries.keySize()))
                    .append("\",\"value\":\"")
                    .append(hex.formatHex(entries.values(), valueOffset, valueOffset + entries.valueStride()))
                    .append('"');
            if (decoding != null) {
                decoding.labels(out, entries.keys(), keyOffset);
                if (entries.valueSize() == 8) {
                    out.append(",\"u64\":").append(Long.toUnsignedString(entries.u64Sum(i)));
                }
            }
            out.append('}');
        }
        out.append("]");
        if (shown < entries.count()) {
            out.append(",\"truncated\":true");
        }
        out.append('}');
    }

    private synchronized Decoding decoding(MapMetric metric, BpfMap map) {
        return decodings.computeIfAbsent(metric.config(), config -> Decoding.of(config, map, decoders));
    }

    /** A metric's labels as decoders for raw keys: the same chains its scrape uses. */
    private record Decoding(List<LabelChain> chains, KeyLayout layout, String problem) {
        static Decoding of(MetricConfig config, BpfMap map, DecoderFactory decoders) {
            List<LabelConfig> labels = config.labels();
            if (config instanceof CounterConfig && map.isPerCpu() && !labels.isEmpty()
                    && labels.getLast().name().equals("cpu")) {
                labels = labels.subList(0, labels.size() - 1); // per-CPU counters: cpu is not in the key
            }
            try {
                List<LabelChain> chains = new ArrayList<>();
                for (LabelConfig label : labels) {
                    chains.add(LabelChain.of(label, decoders));
                }
                return new Decoding(chains, KeyLayout.of(labels), null);
            } catch (ConfigException e) {
                return new Decoding(List.of(), null, e.getMessage());
            }
        }

        void labels(StringBuilder out, byte[] keys, int offset) {
            if (problem != null) {
                out.append(",\"decode_error\":").append(Json.string(problem));
                return;
            }
            StringBuilder labels = new StringBuilder("{");
            try {
                for (int i = 0; i < chains.size(); i++) {
                    String value = chains.get(i).decode(keys, offset + layout.offsets()[i], layout.size(i));
                    labels.append(i == 0 ? "" : ",").append(Json.string(chains.get(i).name())).append(':')
                            .append(Json.string(value));
                }
            } catch (SkipKeyException e) {
                out.append(",\"skipped\":true");
                return;
            } catch (DecoderException | RuntimeException e) {
                out.append(",\"decode_error\":").append(Json.string(String.valueOf(e.getMessage())));
                return;
            }
            out.append(",\"labels\":").append(labels).append('}');
        }
    }
}
