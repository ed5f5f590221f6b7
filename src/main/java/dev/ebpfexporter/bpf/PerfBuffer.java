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
import java.util.function.LongConsumer;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Events from a {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY} map (libbpf's perf_buffer): each sample's
 * bytes go to {@code onSample}, lost-sample counts to {@code onLost}, on the thread that polls.
 */
public final class PerfBuffer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PerfBuffer.class);
    private static final MethodHandle SAMPLE;
    private static final MethodHandle LOST;

    static {
        try {
            SAMPLE = MethodHandles.lookup().findVirtual(PerfBuffer.class, "sample",
                    MethodType.methodType(void.class, MemorySegment.class, int.class, MemorySegment.class, int.class));
            LOST = MethodHandles.lookup().findVirtual(PerfBuffer.class, "lost",
                    MethodType.methodType(void.class, MemorySegment.class, int.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String description;
    private final Consumer<byte[]> onSample;
    private final LongConsumer onLost;
    private final Arena arena = Arena.ofShared();
    private MemorySegment buffer = MemorySegment.NULL;
    private boolean closed;

    private PerfBuffer(String description, Consumer<byte[]> onSample, LongConsumer onLost) {
        this.description = description;
        this.onSample = onSample;
        this.onLost = onLost;
    }

    /** Opens a perf buffer of {@code pagesPerCpu} pages (a power of two) on every CPU of the map. */
    public static PerfBuffer open(BpfMap map, int pagesPerCpu, Consumer<byte[]> onSample, LongConsumer onLost)
            throws BpfException {
        if (map.type() != MapType.PERF_EVENT_ARRAY) {
            throw new BpfException(map.describe() + ": is a " + MapType.name(map.type())
                    + " map, not a perf_event_array", Errno.EINVAL);
        }
        PerfBuffer perf = new PerfBuffer(map.describe(), onSample, onLost);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment sampleStub = LibBpf.LINKER.upcallStub(SAMPLE.bindTo(perf),
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS, JAVA_INT), perf.arena);
            MemorySegment lostStub = LibBpf.LINKER.upcallStub(LOST.bindTo(perf),
                    FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_LONG), perf.arena);
            MemorySegment state = call.allocate(LibBpf.CALL_STATE);
            MemorySegment buffer = (MemorySegment) LibBpf.PERF_BUFFER_NEW.invokeExact(state, map.fd(),
                    (long) pagesPerCpu, sampleStub, lostStub, MemorySegment.NULL, MemorySegment.NULL);
            if (buffer.equals(MemorySegment.NULL)) {
                int errno = LibBpf.errno(state);
                perf.arena.close();
                throw BpfException.of(map.describe(), "open perf buffer", errno);
            }
            perf.buffer = buffer;
            return perf;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Waits up to {@code timeoutMillis} for events and delivers them; returns how many were handled. */
    public int poll(int timeoutMillis) throws BpfException {
        try {
            int result = (int) LibBpf.PERF_BUFFER_POLL.invokeExact(buffer, timeoutMillis);
            if (result < 0 && result != -Errno.EINTR) {
                throw BpfException.of(description, "poll perf buffer", result);
            }
            return Math.max(result, 0);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    // Upcalls from libbpf during poll: must never throw.
    @SuppressWarnings("unused")
    private void sample(MemorySegment context, int cpu, MemorySegment data, int size) {
        try {
            onSample.accept(data.reinterpret(Integer.toUnsignedLong(size)).toArray(JAVA_BYTE));
        } catch (Throwable t) {
            LOG.warn("{}: event handler failed: {}", description, t.toString());
        }
    }

    @SuppressWarnings("unused")
    private void lost(MemorySegment context, int cpu, long count) {
        try {
            onLost.accept(count);
        } catch (Throwable t) {
            LOG.warn("{}: lost-event handler failed: {}", description, t.toString());
        }
    }

    /** Frees the buffer; call it from the polling thread after its last poll, or when nobody polls. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            LibBpf.PERF_BUFFER_FREE.invokeExact(buffer);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            arena.close();
        }
    }
}
