package dev.ebpfexporter.collector;

/** A config that could not be loaded; nothing of it stays in the kernel. */
public class LoadException extends Exception {
    private final String config;

    public LoadException(String config, String reason) {
        super("config " + config + ": " + reason);
        this.config = config;
    }

    /** @param cause the failure whose message is {@code reason}, kept for the stack trace */
    public LoadException(String config, String reason, Throwable cause) {
        super("config " + config + ": " + reason, cause);
        this.config = config;
    }

    public String config() {
        return config;
    }
}
