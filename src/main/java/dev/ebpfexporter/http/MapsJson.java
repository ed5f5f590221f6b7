package dev.ebpfexporter.http;

import dev.ebpfexporter.collector.MapsView;
import dev.ebpfexporter.json.Json;
import dev.ebpfexporter.metrics.KeyLabels;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /maps} (with {@code --debug}): the collector's {@link MapsView} as JSON. {@code ?config=NAME}
 * limits the output to one config; only names of loaded configs are accepted.
 */
public final class MapsJson {
    /** The body and status of one {@code /maps} response. */
    public record Result(int status, String json) {
    }

    private final MapsView view;

    public MapsJson(MapsView view) {
        this.view = view;
    }

    public Result render(Query query) {
        Optional<String> only = Optional.empty();
        for (Query.Parameter parameter : query.parameters()) {
            if (parameter.name().equals("config")) {
                only = Optional.of(parameter.value());
            } else {
                return error(400, "unknown query parameter; only config=NAME is accepted");
            }
        }
        Optional<List<MapsView.ConfigMaps>> configs = view.read(only);
        if (configs.isEmpty()) {
            return error(404, "no loaded config named " + only.orElseThrow());
        }
        StringBuilder out = new StringBuilder(4096).append("{\"configs\":[");
        for (int c = 0; c < configs.get().size(); c++) {
            MapsView.ConfigMaps config = configs.get().get(c);
            out.append(c == 0 ? "" : ",").append("{\"name\":").append(Json.string(config.name())).append(",\"maps\":[");
            for (int m = 0; m < config.maps().size(); m++) {
                out.append(m == 0 ? "" : ",");
                map(out, config.maps().get(m));
            }
            out.append("]}");
        }
        return new Result(200, out.append("]}\n").toString());
    }

    private static Result error(int status, String message) {
        return new Result(status, "{\"error\":" + Json.string(message) + "}\n");
    }

    private static void map(StringBuilder out, MapsView.MapInfo map) {
        out.append("{\"name\":").append(Json.string(map.name()))
                .append(",\"type\":").append(Json.string(map.type()))
                .append(",\"key_size\":").append(map.keySize())
                .append(",\"value_size\":").append(map.valueSize())
                .append(",\"max_entries\":").append(map.maxEntries())
                .append(",\"metrics\":[");
        for (int i = 0; i < map.metrics().size(); i++) {
            out.append(i == 0 ? "" : ",").append(Json.string(map.metrics().get(i)));
        }
        out.append("]");
        if (map.error().isPresent()) {
            out.append(",\"error\":").append(Json.string(map.error().get())).append("}");
            return;
        }
        if (map.entries().isEmpty()) {
            out.append(",\"entries\":null}");
            return;
        }
        List<MapsView.Entry> entries = map.entries().get();
        out.append(",\"count\":").append(map.count()).append(",\"entries\":[");
        for (int i = 0; i < entries.size(); i++) {
            MapsView.Entry entry = entries.get(i);
            out.append(i == 0 ? "" : ",").append("{\"key\":\"").append(entry.key())
                    .append("\",\"value\":\"").append(entry.value()).append('"');
            entry.labels().ifPresent(decoded -> labels(out, decoded));
            entry.u64().ifPresent(u64 -> out.append(",\"u64\":").append(u64));
            out.append('}');
        }
        out.append("]");
        if (map.truncated()) {
            out.append(",\"truncated\":true");
        }
        out.append('}');
    }

    private static void labels(StringBuilder out, KeyLabels.Decoded decoded) {
        if (decoded.error() != null) {
            out.append(",\"decode_error\":").append(Json.string(decoded.error()));
        } else if (decoded.skipped()) {
            out.append(",\"skipped\":true");
        } else {
            out.append(",\"labels\":{");
            int i = 0;
            for (Map.Entry<String, String> label : decoded.labels().entrySet()) {
                out.append(i++ == 0 ? "" : ",").append(Json.string(label.getKey())).append(':')
                        .append(Json.string(label.getValue()));
            }
            out.append('}');
        }
    }
}
