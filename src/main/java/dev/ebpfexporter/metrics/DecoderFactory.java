package dev.ebpfexporter.metrics;

import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.DecoderConfig;
import dev.ebpfexporter.decoder.Decoder;

/** Builds one decoder of a label's chain; the decoder registry is the real one, tests pass their own. */
@FunctionalInterface
public interface DecoderFactory {
    Decoder create(DecoderConfig config, int labelSize) throws ConfigException;
}
