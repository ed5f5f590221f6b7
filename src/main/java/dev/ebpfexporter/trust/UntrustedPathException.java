package dev.ebpfexporter.trust;

import java.io.IOException;

/** A path that a user other than root (or us) could have written; the message is one line naming it. */
public final class UntrustedPathException extends IOException {
    public UntrustedPathException(String message) {
        super(message);
    }
}
