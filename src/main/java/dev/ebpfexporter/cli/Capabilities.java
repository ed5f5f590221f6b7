package dev.ebpfexporter.cli;

/**
 * {@code --capabilities.keep}, the reference's flag: accepted only as {@code all} (its default, which changes
 * nothing). Capability sets belong to threads, and capset(2) changes the calling thread alone; the reference's
 * Go library runs it on every thread, but the JVM's own threads (GC, JIT compilers, the launcher's first thread)
 * run no Java code, so a drop here reached the startup thread and the threads it started while the log said
 * "kept none" (20 of 24 threads kept every capability). {@code --runas.user} is the way: glibc's set*id calls
 * change every thread, and leaving uid 0 clears each thread's capabilities.
 */
final class Capabilities {
    private Capabilities() {
    }

    /** Refuses every value but {@code all}, in one line that says why and what to use instead. */
    static void requireAll(String keep) {
        if (!keep.strip().equalsIgnoreCase("all")) {
            throw new IllegalArgumentException("--capabilities.keep=" + keep + ": only \"all\" is accepted:"
                    + " capabilities belong to each thread and the JVM's own threads (GC, JIT) cannot be reached,"
                    + " so a drop would leave most threads with every capability; use --runas.user=USER, which"
                    + " drops every capability of every thread");
        }
    }
}
