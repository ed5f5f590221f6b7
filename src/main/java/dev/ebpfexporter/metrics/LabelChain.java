package dev.ebpfexporter.metrics;

import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.DecoderConfig;
import dev.ebpfexporter.config.LabelConfig;
import dev.ebpfexporter.decoder.Decoder;
import dev.ebpfexporter.decoder.DecoderException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A label's decoders in order: the output of one is the input of the next. */
public final class LabelChain {
    private final String name;
    private final List<Decoder> decoders;

    private LabelChain(String name, List<Decoder> decoders) {
        this.name = name;
        this.decoders = List.copyOf(decoders);
    }

    public static LabelChain of(LabelConfig label, DecoderFactory factory) throws ConfigException {
        List<Decoder> decoders = new ArrayList<>();
        int inputSize = label.size(); // only the first decoder sees the raw key bytes; -1: "not raw"
        for (DecoderConfig decoder : label.decoders()) {
            decoders.add(factory.create(decoder, inputSize));
            inputSize = -1;
        }
        return new LabelChain(label.name(), decoders);
    }

    public String name() {
        return name;
    }

    /**
     * Decodes {@code size} bytes of {@code key} at {@code offset} into valid UTF-8 with control
     * characters escaped ({@link LabelText}); exceptions name the label.
     */
    public String decode(byte[] key, int offset, int size) throws DecoderException {
        byte[] value = Arrays.copyOfRange(key, offset, offset + size);
        for (Decoder decoder : decoders) {
            value = decoder.decode(value);
        }
        return LabelText.of(value);
    }
}
