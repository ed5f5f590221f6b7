package dev.ebpfexporter.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@code labels:} lists (shared by counters, histograms and spans) and their decoders. */
public final class LabelReader {
    // `padding` is our addition: the reference folds padding into `size`, and so may users; both work.
    static final Set<String> LABEL_KEYS = Set.of("name", "size", "padding", "decoders");
    /** The kernel caps BPF map keys far below this (a key is copied through the BPF stack, 512 bytes). */
    static final int MAX_LABEL_BYTES = 65536;
    static final Set<String> DECODER_KEYS = Set.of("name", "static_map", "regexps", "allow_unknown");

    private LabelReader() {
    }

    /** The labels of {@code list} (absent or null: none); label names must be unique. */
    public static List<LabelConfig> labels(Optional<YamlNode> list) throws ConfigException {
        List<LabelConfig> labels = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (YamlNode item : list.isPresent() ? list.get().asList() : List.<YamlNode>of()) {
            LabelConfig label = label(item);
            Integer first = seen.putIfAbsent(label.name(), label.source().line());
            if (first != null) {
                throw item.asMap().require("name").error(
                        "duplicate label name " + YamlNode.quote(label.name()) + " (first on line " + first + ")");
            }
            labels.add(label);
        }
        return labels;
    }

    static LabelConfig label(YamlNode item) throws ConfigException {
        YamlMap map = item.asMap().allowOnly(LABEL_KEYS);
        String name = map.requireString("name");
        int size = map.require("size").asPositiveInt();
        int padding = map.get("padding").isPresent() ? map.get("padding").get().asNonNegativeInt() : 0;
        if ((long) size + padding > MAX_LABEL_BYTES) {
            throw map.require("size").error("size " + size + " plus padding " + padding + " is more than "
                    + MAX_LABEL_BYTES + " bytes, larger than any BPF map key");
        }
        List<DecoderConfig> decoders = new ArrayList<>();
        for (YamlNode decoder : map.get("decoders").isPresent() ? map.get("decoders").get().asList() : List.<YamlNode>of()) {
            decoders.add(decoder(decoder));
        }
        return new LabelConfig(name, size, padding, decoders, item.source());
    }

    /** Decoder-specific keys are accepted on any decoder, as the reference does; each decoder reads its own. */
    static DecoderConfig decoder(YamlNode item) throws ConfigException {
        YamlMap map = item.asMap().allowOnly(DECODER_KEYS);
        String name = map.requireString("name");
        Map<String, String> staticMap = new LinkedHashMap<>();
        if (map.get("static_map").isPresent()) {
            YamlMap entries = map.get("static_map").get().asMap();
            for (String key : entries.keys()) {
                // Keys keep their text (`1`, `0x1`, `read`); a null value maps to "" like Go's zero string.
                staticMap.put(key, entries.string(key, ""));
            }
        }
        List<String> regexps = strings(map.get("regexps"));
        boolean allowUnknown = map.get("allow_unknown").isPresent() && map.get("allow_unknown").get().asBoolean();
        return new DecoderConfig(name, staticMap, regexps, allowUnknown, item.source());
    }

    /** A list of non-empty strings; absent or null: empty. */
    static List<String> strings(Optional<YamlNode> list) throws ConfigException {
        List<String> out = new ArrayList<>();
        for (YamlNode item : list.isPresent() ? list.get().asList() : List.<YamlNode>of()) {
            out.add(item.asNonEmptyString());
        }
        return out;
    }
}
