package dev.ebpfexporter.decoder;

/**
 * One step of a label's decoder chain: bytes in, bytes out. The output of one decoder is the input
 * of the next; the last output is the label's value (UTF-8).
 *
 * <p>Implementations are built once per label from their {@code DecoderConfig} (regexps compiled,
 * maps copied) and must be safe to call from several threads.
 */
@FunctionalInterface
public interface Decoder {
    /**
     * @throws SkipKeyException to drop the whole key without counting an error (e.g. no regexp matched)
     * @throws DecoderException when the input cannot be decoded; counted as a decoder error, key dropped
     */
    byte[] decode(byte[] in) throws DecoderException;
}
