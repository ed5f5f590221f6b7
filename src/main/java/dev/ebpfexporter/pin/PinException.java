package dev.ebpfexporter.pin;

/** The pin directory cannot be used, or a pin cannot be made or removed; the message is one line naming the path. */
public final class PinException extends Exception {
    public PinException(String message) {
        super(message);
    }

    public PinException(String message, Throwable cause) {
        super(message, cause);
    }
}
