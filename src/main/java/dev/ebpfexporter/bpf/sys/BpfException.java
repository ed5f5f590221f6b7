package dev.ebpfexporter.bpf.sys;

/**
 * A libbpf or kernel call failed. The message names what failed (object, program or map), the
 * operation and the kernel's reason; {@link #errno()} keeps the number for callers that branch on it.
 */
public class BpfException extends Exception {
    private final int errno;

    /** @param cause what failed underneath (an I/O error, a parse), kept for the stack trace */
    public BpfException(String message, int errno, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    public BpfException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** "{@code what}: {@code operation}: reason (errno N)" from a positive or negative errno. */
    public static BpfException of(String what, String operation, int errno) {
        int positive = Math.abs(errno);
        return new BpfException(what + ": " + operation + ": " + describe(positive), positive);
    }

    public static String describe(int errno) {
        return LibBpf.strerror(errno) + " (errno " + errno + ")";
    }

    public int errno() {
        return errno;
    }
}
