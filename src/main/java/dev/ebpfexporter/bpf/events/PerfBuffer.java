package dev.ebpfexporter.bpf.events;

import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.bpf.MapType;
import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.Errno;
import dev.ebpfexporter.bpf.sys.LibBpf;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
public final class PerfBuffer extends EventBuffer {
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

    private final Consumer<byte[]> onSample;
    private final LongConsumer onLost;

    private PerfBuffer(String description, Consumer<byte[]> onSample, LongConsumer onLost) {
        super(description, "perf buffer", LibBpf.PERF_BUFFER_POLL, LibBpf.PERF_BUFFER_FREE);
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
        MemorySegment sampleStub = LibBpf.LINKER.upcallStub(SAMPLE.bindTo(perf),
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS, JAVA_INT), perf.arena);
        MemorySegment lostStub = LibBpf.LINKER.upcallStub(LOST.bindTo(perf),
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_LONG), perf.arena);
        perf.create(state -> (MemorySegment) LibBpf.PERF_BUFFER_NEW.invokeExact(state, map.fd(),
                (long) pagesPerCpu, sampleStub, lostStub, MemorySegment.NULL, MemorySegment.NULL));
        return perf;
    }

    // Upcalls from libbpf during poll: must never throw.
    @SuppressWarnings("unused")
    private void sample(MemorySegment context, int cpu, MemorySegment data, int size) {
        try {
            onSample.accept(data.reinterpret(Integer.toUnsignedLong(size)).toArray(JAVA_BYTE));
        } catch (Throwable t) {
            LOG.warn("{}: event handler failed: {}", description(), t.toString(), t);
        }
    }

    @SuppressWarnings("unused")
    private void lost(MemorySegment context, int cpu, long count) {
        try {
            onLost.accept(count);
        } catch (Throwable t) {
            LOG.warn("{}: lost-event handler failed: {}", description(), t.toString(), t);
        }
    }
}
