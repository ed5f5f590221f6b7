package dev.ebpfexporter.bpf;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.Downcall;
import dev.ebpfexporter.bpf.sys.Errno;
import dev.ebpfexporter.bpf.sys.LibBpf;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Reads a whole map into heap arrays through one reused native buffer. The buffer is guarded by a
 * lock held only for the read itself: concurrent scrapes of one map take turns for the syscalls and
 * then decode their own copies in parallel.
 *
 * <p>Batch protocol ({@code BPF_MAP_LOOKUP_BATCH}): the first call passes a NULL in-batch token;
 * {@code count} is reset before every call to the room left; the entries a call returns are kept
 * even when it returns {@code -ENOENT} (the end); {@code -ENOSPC} means one hash bucket did not fit,
 * so the buffer grows and the same call is repeated.
 */
final class MapReader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MapReader.class);
    private static final int INITIAL_CAPACITY = 1024;

    private final BpfMap map;
    private final ReentrantLock lock = new ReentrantLock();
    private final int keySize;
    private final int valueStride;
    private Arena arena = Arena.ofShared();
    private MemorySegment keys;
    private MemorySegment values;
    private int capacity;
    private final MemorySegment inBatch;
    private final MemorySegment outBatch;
    private final MemorySegment count;
    private final MemorySegment opts;
    private volatile boolean batchUnsupported;
    private int enospcRetries; // under lock; for tests
    private boolean closed;

    MapReader(BpfMap map) {
        this(map, INITIAL_CAPACITY, false);
    }

    /**
     * @param initialCapacity entries the buffer holds before it first grows (tests force tiny ones)
     * @param keyByKey        never try batch reads (tests of the fallback path)
     */
    MapReader(BpfMap map, int initialCapacity, boolean keyByKey) {
        this.map = map;
        this.batchUnsupported = keyByKey;
        this.keySize = map.keySize();
        this.valueStride = map.valueStride();
        // Hash maps use a u32 bucket index as the batch token, arrays a key: room for either.
        long token = Math.max(8, keySize);
        this.inBatch = arena.allocate(token, 8);
        this.outBatch = arena.allocate(token, 8);
        this.count = arena.allocate(JAVA_INT);
        this.opts = arena.allocate(LibBpf.BATCH_OPTS_SIZE, 8);
        opts.set(JAVA_LONG, 0, LibBpf.BATCH_OPTS_SIZE);
        allocate(Math.max(1, Math.min(initialCapacity, map.maxEntries())));
    }

    int capacity() {
        return underLock(() -> capacity);
    }

    int enospcRetries() {
        return underLock(() -> enospcRetries);
    }

    private int underLock(IntSupplier field) {
        lock.lock();
        try {
            return field.getAsInt();
        } finally {
            lock.unlock();
        }
    }

    boolean batchSupported() {
        return !batchUnsupported;
    }

    private void allocate(int entries) {
        capacity = entries;
        keys = arena.allocate((long) entries * keySize, 8);
        values = arena.allocate((long) entries * valueStride, 8);
    }

    /** Grows the buffers, keeping the first {@code kept} entries already read. */
    private void grow(int kept) {
        MemorySegment oldKeys = keys;
        MemorySegment oldValues = values;
        allocate(capacity * 2);
        keys.copyFrom(oldKeys.asSlice(0, (long) kept * keySize));
        values.copyFrom(oldValues.asSlice(0, (long) kept * valueStride));
        // Old segments stay in the arena until close: growth is rare and bounded by log2(max_entries).
    }

    MapEntries readAll() throws BpfException {
        if (batchUnsupported) {
            return readKeyByKey();
        }
        MapEntries entries = read(this::readBatches);
        return entries != null ? entries : readKeyByKey();
    }

    /** A read of the map's fd, under the lock; may throw what the downcalls throw. */
    @FunctionalInterface
    private interface Read {
        MapEntries read(int fd) throws Throwable;
    }

    /** Runs {@code read} under the lock on an open map; a native failure other than BpfException is a bug. */
    private MapEntries read(Read read) throws BpfException {
        lock.lock();
        try {
            checkOpen();
            return read.read(map.fd());
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Downcall.failed(map.describe(), "read", t);
        } finally {
            lock.unlock();
        }
    }

    /** Batch lookups until ENOENT; null when the kernel has no batch lookup for this map. */
    private MapEntries readBatches(int fd) throws Throwable {
        int total = 0;
        boolean first = true;
        while (true) {
            if (total == capacity) {
                grow(total);
            }
            count.set(JAVA_INT, 0, capacity - total);
            MemorySegment in = first ? MemorySegment.NULL : inBatch;
            int result = (int) LibBpf.MAP_LOOKUP_BATCH.invokeExact(fd, in, outBatch,
                    keys.asSlice((long) total * keySize), values.asSlice((long) total * valueStride), count, opts);
            int returned = count.get(JAVA_INT, 0);
            if (result == -Errno.ENOSPC) {
                enospcRetries++;
                grow(total);
                continue;
            }
            if (result < 0 && result != -Errno.ENOENT) {
                if (total == 0 && first && isUnsupported(-result)) {
                    batchUnsupported = true;
                    LOG.info("{}: batch lookup not supported ({}), reading key by key from now on",
                            map.describe(), -result == Errno.ENOTSUPP ? "ENOTSUPP" : BpfException.describe(-result));
                    return null;
                }
                throw BpfException.of(map.describe(), "batch lookup", result);
            }
            total += returned;
            if (result == -Errno.ENOENT) {
                return copyOut(total);
            }
            inBatch.copyFrom(outBatch);
            first = false;
        }
    }

    private static boolean isUnsupported(int errno) {
        return errno == Errno.EINVAL || errno == Errno.ENOTSUPP || errno == Errno.EOPNOTSUPP;
    }

    /**
     * The reference exporter's way: get-next-key, then one lookup per key. A key deleted between the
     * two calls is skipped; a key seen twice (a hash walk restarting after a deletion) is kept once.
     */
    MapEntries readKeyByKey() throws BpfException {
        return read(this::walkKeys);
    }

    private MapEntries walkKeys(int fd) throws Throwable {
        int total = 0;
        Set<java.nio.ByteBuffer> seen = new HashSet<>();
        MemorySegment previous = MemorySegment.NULL;
        MemorySegment next = inBatch.asSlice(0, keySize);
        MemorySegment current = outBatch.asSlice(0, keySize);
        long limit = (long) map.maxEntries() * 2 + 16; // a walk restarting forever must still end
        for (long step = 0; step < limit; step++) {
            int result = (int) LibBpf.MAP_GET_NEXT_KEY.invokeExact(fd, previous, next);
            if (result == -Errno.ENOENT) {
                break;
            }
            if (result < 0) {
                throw BpfException.of(map.describe(), "get next key", result);
            }
            current.copyFrom(next);
            previous = current;
            if (!seen.add(java.nio.ByteBuffer.wrap(current.toArray(JAVA_BYTE)))) {
                continue;
            }
            if (total == capacity) {
                grow(total);
            }
            MemorySegment value = values.asSlice((long) total * valueStride, valueStride);
            int lookup = (int) LibBpf.MAP_LOOKUP_ELEM.invokeExact(fd, current, value);
            if (lookup == -Errno.ENOENT) {
                continue;
            }
            if (lookup < 0) {
                throw BpfException.of(map.describe(), "lookup", lookup);
            }
            keys.asSlice((long) total * keySize, keySize).copyFrom(current);
            total++;
        }
        return copyOut(total);
    }

    private MapEntries copyOut(int total) {
        byte[] keyBytes = keys.asSlice(0, (long) total * keySize).toArray(JAVA_BYTE);
        byte[] valueBytes = values.asSlice(0, (long) total * valueStride).toArray(JAVA_BYTE);
        return new MapEntries(total, keySize, map.valueSize(), map.valueSlot(), map.cpus(), keyBytes, valueBytes);
    }

    private void checkOpen() throws BpfException {
        if (closed) {
            throw new BpfException(map.describe() + ": object is closed", Errno.EBADF);
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                arena.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
