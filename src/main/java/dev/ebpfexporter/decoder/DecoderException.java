package dev.ebpfexporter.decoder;

/** A label's bytes could not be decoded; the key is dropped and counted as a decoder error. */
public class DecoderException extends Exception {
    public DecoderException(String message) {
        super(message);
    }

    public DecoderException(String message, Throwable cause) {
        super(message, cause);
    }
}
