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

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Records from a {@code BPF_MAP_TYPE_RINGBUF} map (libbpf's ring_buffer): each record's bytes go
 * to {@code onRecord} on the thread that polls. The record is copied before the callback returns,
 * since libbpf releases it right after.
 */
public final class RingBuffer extends EventBuffer {
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

    private final Consumer<byte[]> onRecord;

    private RingBuffer(String description, Consumer<byte[]> onRecord) {
        super(description, "ring buffer", LibBpf.RING_BUFFER_POLL, LibBpf.RING_BUFFER_FREE);
        this.onRecord = onRecord;
    }

    public static RingBuffer open(BpfMap map, Consumer<byte[]> onRecord) throws BpfException {
        if (map.type() != MapType.RINGBUF) {
            throw new BpfException(map.describe() + ": is a " + MapType.name(map.type()) + " map, not a ringbuf",
                    Errno.EINVAL);
        }
        RingBuffer ring = new RingBuffer(map.describe(), onRecord);
        MemorySegment stub = LibBpf.LINKER.upcallStub(SAMPLE.bindTo(ring),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), ring.arena);
        ring.create(state -> (MemorySegment) LibBpf.RING_BUFFER_NEW.invokeExact(state, map.fd(), stub,
                MemorySegment.NULL, MemorySegment.NULL));
        return ring;
    }

    // Upcall from libbpf during poll: must never throw; 0 means "keep going".
    @SuppressWarnings("unused")
    private int sample(MemorySegment context, MemorySegment data, long size) {
        try {
            onRecord.accept(data.reinterpret(size).toArray(JAVA_BYTE));
        } catch (Throwable t) {
            LOG.warn("{}: record handler failed: {}", description(), t.toString(), t);
        }
        return 0;
    }
}
