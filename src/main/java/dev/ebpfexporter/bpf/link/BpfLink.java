package dev.ebpfexporter.bpf.link;

import dev.ebpfexporter.bpf.sys.Downcall;
import dev.ebpfexporter.bpf.sys.LibBpf;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * An attachment of a program to its hook; destroying it detaches the program. For perf events the
 * link owns the perf event fd: libbpf's detach closes it, so nothing here closes it again (a second
 * close could hit a number the process has reused for a socket or a map).
 */
public final class BpfLink implements AutoCloseable {
    private final String description;
    private final List<MemorySegment> links;
    private boolean closed;

    BpfLink(String description, List<MemorySegment> links) {
        this.description = description;
        this.links = List.copyOf(links);
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
            int ignored = Downcall.ofInt(description, "detach", () -> (int) LibBpf.LINK_DESTROY.invokeExact(link));
        }
    }
}
