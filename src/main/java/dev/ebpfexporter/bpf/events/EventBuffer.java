package dev.ebpfexporter.bpf.events;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.Downcall;
import dev.ebpfexporter.bpf.sys.Errno;
import dev.ebpfexporter.bpf.sys.LibBpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * What libbpf's perf_buffer and ring_buffer have in common: a native buffer made with upcall stubs
 * that live in this buffer's arena, polled on one thread, freed once. Subclasses bring the upcalls.
 */
abstract sealed class EventBuffer implements AutoCloseable permits PerfBuffer, RingBuffer {
    /** A libbpf {@code *__new} call that takes the errno capture segment first. */
    @FunctionalInterface
    interface Create {
        MemorySegment create(MemorySegment callState) throws Throwable;
    }

    private final String description;
    private final String kind;
    private final MethodHandle pollHandle;
    private final MethodHandle freeHandle;
    /** Holds the upcall stubs; closed with the buffer. */
    final Arena arena = Arena.ofShared();
    private MemorySegment buffer = MemorySegment.NULL;
    private boolean closed;

    EventBuffer(String description, String kind, MethodHandle pollHandle, MethodHandle freeHandle) {
        this.description = description;
        this.kind = kind;
        this.pollHandle = pollHandle;
        this.freeHandle = freeHandle;
    }

    final String description() {
        return description;
    }

    /** Makes the native buffer; on failure frees the upcall stubs and throws with libbpf's errno. */
    final void create(Create create) throws BpfException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = call.allocate(LibBpf.CALL_STATE);
            MemorySegment created = create.create(state);
            if (created.equals(MemorySegment.NULL)) {
                int errno = LibBpf.errno(state);
                arena.close();
                throw BpfException.of(description, "open " + kind, errno);
            }
            buffer = created;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Downcall.failed(description, "open " + kind, t);
        }
    }

    /** Waits up to {@code timeoutMillis} for events and delivers them; returns how many were handled. */
    public int poll(int timeoutMillis) throws BpfException {
        int result = Downcall.ofInt(description, "poll " + kind,
                () -> (int) pollHandle.invokeExact(buffer, timeoutMillis));
        if (result < 0 && result != -Errno.EINTR) {
            throw BpfException.of(description, "poll " + kind, result);
        }
        return Math.max(result, 0);
    }

    /** Frees the buffer; call it from the polling thread after its last poll, or when nobody polls. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Downcall.run(description, "free " + kind, () -> {
                freeHandle.invokeExact(buffer);
            });
        } finally {
            if (arena.scope().isAlive()) { // a failed create already freed the stubs
                arena.close();
            }
        }
    }
}
