package dev.ebpfexporter.decoder;

import java.util.Map;

/**
 * {@code static_map}: replaces the input text by its entry in the map. Without an entry the
 * result is {@code unknown:<input>}, or the input itself with {@code allow_unknown}. A decoder
 * without any entries yields {@code empty mapping} for everything, as the reference does.
 */
final class StaticMapDecoder implements Decoder {
    private static final byte[] EMPTY_MAPPING = Inputs.bytes("empty mapping");

    private final Map<String, String> map;
    private final boolean allowUnknown;

    StaticMapDecoder(Map<String, String> map, boolean allowUnknown) {
        this.map = Map.copyOf(map);
        this.allowUnknown = allowUnknown;
    }

    @Override
    public byte[] decode(byte[] in) {
        if (map.isEmpty()) {
            return EMPTY_MAPPING;
        }
        String key = Inputs.text(in);
        String value = map.get(key);
        if (value != null) {
            return Inputs.bytes(value);
        }
        return allowUnknown ? in : Inputs.bytes("unknown:" + key);
    }
}
