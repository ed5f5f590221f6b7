package dev.ebpfexporter.btf;

/** {@code --btf.path} names nothing usable: the message is one line that names the path and what is wrong. */
public final class BtfException extends Exception {
    public BtfException(String message) {
        super(message);
    }

    public BtfException(String message, Throwable cause) {
        super(message, cause);
    }
}
