package dev.ebpfexporter.bcc;

/** Finds the record type of a tracepoint. */
public interface TracepointTypes {
    /**
     * @throws IllegalArgumentException when the kernel has no such tracepoint; the message says why
     */
    TracepointType resolve(String category, String event);
}
