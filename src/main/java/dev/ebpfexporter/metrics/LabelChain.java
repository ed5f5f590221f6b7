package dev.ebpfexporter.metrics;

import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.DecoderConfig;
import dev.ebpfexporter.config.LabelConfig;
import dev.ebpfexporter.decoder.Decoder;
import dev.ebpfexporter.decoder.DecoderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A label's decoders in order: the output of one is the input of the next. A value that is not text at the end
 * (control characters, bytes that are not UTF-8: {@code string} on a number, a label without decoders over a
 * pointer) is exported escaped and logged once per label, since its size or decoders do not fit the key.
 */
public final class LabelChain {
    private static final Logger LOG = LoggerFactory.getLogger(LabelChain.class);
    /** At most this many characters of a value are quoted in the log. */
    private static final int SHOWN = 24;

    private final LabelConfig label;
    private final List<Decoder> decoders;
    private final AtomicBoolean warnedNotText = new AtomicBoolean();

    private LabelChain(LabelConfig label, List<Decoder> decoders) {
        this.label = label;
        this.decoders = List.copyOf(decoders);
    }

    public static LabelChain of(LabelConfig label, DecoderFactory factory) throws ConfigException {
        List<Decoder> decoders = new ArrayList<>();
        int inputSize = label.size(); // only the first decoder sees the raw key bytes; -1: "not raw"
        for (DecoderConfig decoder : label.decoders()) {
            decoders.add(factory.create(decoder, inputSize));
            inputSize = -1;
        }
        return new LabelChain(label, decoders);
    }

    public String name() {
        return label.name();
    }

    LabelConfig label() {
        return label;
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
        String text = LabelText.of(value);
        if (!warnedNotText.get() && !LabelText.isText(value) && warnedNotText.compareAndSet(false, true)) {
            String shown = text.length() > SHOWN ? text.substring(0, SHOWN) + "..." : text;
            LOG.warn("{}: label \"{}\": a value decoded to bytes that are not text (\"{}\", exported escaped):"
                    + " the label's size or decoders do not fit what the program writes there (logged once)",
                    label.source(), label.name(), shown);
        }
        return text;
    }
}
