package dev.ebpfexporter.bpf;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Consumer;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Records from a {@code BPF_MAP_TYPE_RINGBUF} map (libbpf's ring_buffer): each record's bytes go
 * to {@code onRecord} on the thread that polls. The record is copied before the callback returns,
 * since libbpf releases it right after.
 */
public final class RingBuffer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RingBuffer.class);
    private static final MethodHandle SAMPLE;

    static {
        try {
            SAMPLE = MethodHandles.lookup().findVirtual(RingBuffer.class, "sample",
                    MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String description;
    private final Consumer<byte[]> onRecord;
    private final Arena arena = Arena.ofShared();
    private MemorySegment buffer = MemorySegment.NULL;
    private boolean closed;

    private RingBuffer(String description, Consumer<byte[]> onRecord) {
        this.description = description;
        this.onRecord = onRecord;
    }

    public static RingBuffer open(BpfMap map, Consumer<byte[]> onRecord) throws BpfException {
        if (map.type() != MapType.RINGBUF) {
            throw new BpfException(map.describe() + ": is a " + MapType.name(map.type()) + " map, not a ringbuf",
                    Errno.EINVAL);
        }
        RingBuffer ring = new RingBuffer(map.describe(), onRecord);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment stub = LibBpf.LINKER.upcallStub(SAMPLE.bindTo(ring),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), ring.arena);
            MemorySegment state = call.allocate(LibBpf.CALL_STATE);
            MemorySegment buffer = (MemorySegment) LibBpf.RING_BUFFER_NEW.invokeExact(state, map.fd(), stub,
                    MemorySegment.NULL, MemorySegment.NULL);
            if (buffer.equals(MemorySegment.NULL)) {
                int errno = LibBpf.errno(state);
                ring.arena.close();
                throw BpfException.of(map.describe(), "open ring buffer", errno);
            }
            ring.buffer = buffer;
            return ring;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Waits up to {@code timeoutMillis} for records and delivers them; returns how many were handled. */
    public int poll(int timeoutMillis) throws BpfException {
        try {
            int result = (int) LibBpf.RING_BUFFER_POLL.invokeExact(buffer, timeoutMillis);
            if (result < 0 && result != -Errno.EINTR) {
                throw BpfException.of(description, "poll ring buffer", result);
            }
            return Math.max(result, 0);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    // Upcall from libbpf during poll: must never throw; 0 means "keep going".
    @SuppressWarnings("unused")
    private int sample(MemorySegment context, MemorySegment data, long size) {
        try {
            onRecord.accept(data.reinterpret(size).toArray(JAVA_BYTE));
        } catch (Throwable t) {
            LOG.warn("{}: record handler failed: {}", description, t.toString());
        }
        return 0;
    }

    /** Frees the buffer; call it from the polling thread after its last poll, or when nobody polls. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            LibBpf.RING_BUFFER_FREE.invokeExact(buffer);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            arena.close();
        }
    }
}
