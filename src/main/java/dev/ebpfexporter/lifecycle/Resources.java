package dev.ebpfexporter.lifecycle;

import java.util.ArrayList;
import java.util.List;

/**
 * What one owner has created and must close: each resource is added as soon as it exists, and
 * {@link #close()} closes them all, the last added first, exactly once. Every close runs even when
 * an earlier one threw; the first failure is thrown afterwards with the others suppressed on it.
 * A resource added after the owner closed (a start-up racing its own shutdown) is closed at once.
 *
 * <p>The transaction pattern: add each thing as it is made; on any {@code Throwable} call
 * {@link #closeAfter(Throwable)} and rethrow; on success hand this object to whoever owns the result.
 */
public final class Resources implements AutoCloseable {
    /** One owned thing: what to call it in errors, and how to close it. */
    private record Entry(String what, AutoCloseable resource) {
    }

    private final String owner;
    private final List<Entry> entries = new ArrayList<>();
    private boolean closed;
    /** Held for the whole of a close. */
    private final Object closing = new Object();

    /** @param owner names the owner in errors, e.g. {@code config biolatency} */
    public Resources(String owner) {
        this.owner = owner;
    }

    public String owner() {
        return owner;
    }

    /**
     * Owns {@code resource} from now on and returns it. When this owner is already closed the
     * resource is closed at once and {@link IllegalStateException} is thrown.
     */
    public <T extends AutoCloseable> T add(String what, T resource) {
        synchronized (this) {
            if (!closed) {
                try {
                    entries.add(new Entry(what, resource));
                } catch (Throwable t) { // no room to remember it (OutOfMemoryError): close it rather than lose it
                    closeOne(new Entry(what, resource), t);
                    throw t;
                }
                return resource;
            }
        }
        IllegalStateException refused = new IllegalStateException(owner + ": closed, so " + what + " was closed at once");
        closeOne(new Entry(what, resource), refused);
        throw refused;
    }

    /** How many resources are owned (none after {@link #close()}). */
    public synchronized int size() {
        return entries.size();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Closes everything, the last added first; a second call does nothing (it returns once the first
     * has finished). Throws the first failure
     * (an {@code Error} as it is, an {@code Exception} wrapped in one that names the resource) with
     * the others suppressed on it, after every resource had its close.
     */
    @Override
    public void close() {
        Throwable first = closeAll();
        if (first != null) {
            throw unchecked(first);
        }
    }

    /**
     * Closes everything because {@code cause} was thrown while this owner was being built; failures of
     * closing are suppressed on {@code cause}, which the caller rethrows.
     */
    public void closeAfter(Throwable cause) {
        Throwable failed = closeAll();
        if (failed != null && failed != cause) {
            cause.addSuppressed(failed);
        }
    }

    /** Closes every entry in reverse order; returns the first failure (others suppressed on it), or null. */
    private Throwable closeAll() {
        List<Entry> reverse;
        synchronized (closing) { // a second caller returns once the first has closed everything
            synchronized (this) {
                if (closed) {
                    return null;
                }
                closed = true;
                reverse = new ArrayList<>(entries.reversed());
                entries.clear();
            }
            return closeInOrder(reverse);
        }
    }

    private Throwable closeInOrder(List<Entry> reverse) {
        Throwable first = null;
        for (Entry entry : reverse) {
            Throwable failed = closeOne(entry, null);
            if (failed == null) {
                continue;
            }
            if (first == null) {
                first = failed;
            } else {
                first.addSuppressed(failed);
            }
        }
        return first;
    }

    /**
     * Closes one entry; returns what it threw (an {@code Error} as it is, an exception wrapped in one
     * that names the owner and the resource), suppressed on {@code into} when given.
     */
    private Throwable closeOne(Entry entry, Throwable into) {
        try {
            entry.resource().close();
            return null;
        } catch (Throwable t) {
            Throwable failed = t instanceof Exception e
                    ? new IllegalStateException(owner + ": closing " + entry.what() + ": " + e, e)
                    : t;
            if (into != null) {
                into.addSuppressed(failed);
            }
            return failed;
        }
    }

    /** What {@link #closeOne} returns is an Error or a RuntimeException: throw it as it is. */
    static RuntimeException unchecked(Throwable t) {
        if (t instanceof Error error) {
            throw error;
        }
        return (RuntimeException) t;
    }
}
