package dev.ebpfexporter.config;

/** A config that cannot be used; the message is one line naming file, line and field. */
public class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    /** @param cause what made the config unusable, kept for the stack trace */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    public ConfigException(Source source, String message) {
        super(source + ": " + message);
    }

    /** @param cause what made the config unusable (e.g. a library that failed to start), kept for the stack trace */
    public ConfigException(Source source, String message, Throwable cause) {
        super(source + ": " + message, cause);
    }
}
