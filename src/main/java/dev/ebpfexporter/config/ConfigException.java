package dev.ebpfexporter.config;

/** A config that cannot be used; the message is one line naming file, line and field. */
public class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(Source source, String message) {
        super(source + ": " + message);
    }
}
