package dev.ebpfexporter.otlp;

/** The OTLP metrics push cannot start as configured; the message is one line that says what to change. */
public final class OtlpPushException extends RuntimeException {
    OtlpPushException(String message, Throwable cause) {
        super(message, cause);
    }
}
