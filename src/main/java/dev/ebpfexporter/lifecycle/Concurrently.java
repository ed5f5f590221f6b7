package dev.ebpfexporter.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Closes independent owners at once. Closing a config mostly waits: for an event thread's last poll
 * and its last span export, for kernel grace periods when a probe is removed. Waits of different
 * owners overlap instead of adding up; each owner still closes its own resources in order.
 */
public final class Concurrently {
    /** Threads at most: enough to overlap the waits of every config of a large host. */
    static final int MAX_THREADS = 32;

    private Concurrently() {
    }

    /**
     * Closes every owner, each on a platform thread (closing calls into the kernel, which would hold
     * a virtual thread's carrier), and returns when all are closed. Throws the first failure with the
     * others suppressed on it.
     *
     * @param name names the threads ({@code name-0}, ...)
     */
    public static void close(String name, List<? extends AutoCloseable> owners) {
        if (owners.size() == 1) {
            closeOrThrow(owners.getFirst());
            return;
        }
        List<Future<?>> closing = new ArrayList<>();
        int threads = Math.max(1, Math.min(owners.size(), MAX_THREADS));
        try (ExecutorService pool = Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().daemon().name(name + "-", 0).factory())) {
            for (AutoCloseable owner : owners) {
                closing.add(pool.submit(() -> closeOrThrow(owner)));
            }
        } // waits for every close
        Throwable first = null;
        for (Future<?> future : closing) {
            if (future.state() != Future.State.FAILED) {
                continue;
            }
            Throwable failed = future.exceptionNow();
            if (first == null) {
                first = failed;
            } else {
                first.addSuppressed(failed);
            }
        }
        if (first != null) {
            throw Resources.unchecked(first);
        }
    }

    private static void closeOrThrow(AutoCloseable owner) {
        try {
            owner.close();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing " + owner + ": " + e, e);
        }
    }
}
