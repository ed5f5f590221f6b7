package dev.ebpfexporter.decoder;

/** The decoder chose to drop this key (not an error): e.g. a regexp decoder without a match. */
public class SkipKeyException extends DecoderException {
    public SkipKeyException(String message) {
        super(message);
    }

    /** No stack trace: skipping is an expected outcome on the scrape path, not a failure. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
