package dev.ebpfexporter.config;

import java.util.List;

/** One label: {@code size} bytes of the map key (plus {@code padding}), decoded in order. */
public record LabelConfig(String name, int size, int padding, List<DecoderConfig> decoders, Source source) {
    public LabelConfig {
        decoders = List.copyOf(decoders);
    }

    /** Bytes this label occupies in the key, padding included. */
    public int width() {
        return size + padding;
    }
}
