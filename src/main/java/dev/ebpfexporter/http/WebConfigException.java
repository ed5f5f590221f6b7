package dev.ebpfexporter.http;

/** A web config file that cannot be used; the message is one line naming the file and the key. */
public final class WebConfigException extends Exception {
    public WebConfigException(String message) {
        super(message);
    }

    /** @param cause what failed underneath (a parser, the JDK's TLS), kept for the stack trace */
    public WebConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
