package dev.ebpfexporter.bpf;

import java.lang.foreign.MemorySegment;
import java.util.List;

/** An attachment of a program to its hook; destroying it detaches the program. */
public final class BpfLink implements AutoCloseable {
    private final String description;
    private final List<MemorySegment> links;
    private final List<Integer> perfEventFds;
    private boolean closed;

    BpfLink(String description, List<MemorySegment> links, List<Integer> perfEventFds) {
        this.description = description;
        this.links = List.copyOf(links);
        this.perfEventFds = List.copyOf(perfEventFds);
    }

    public String description() {
        return description;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (MemorySegment link : links) {
            try {
                int ignored = (int) LibBpf.LINK_DESTROY.invokeExact(link);
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
        for (int fd : perfEventFds) {
            FileDescriptors.close(fd);
        }
    }
}
