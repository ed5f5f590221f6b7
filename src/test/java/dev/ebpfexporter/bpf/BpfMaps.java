package dev.ebpfexporter.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Maps created from Java, outside any object file: for tests of the read path on real kernel maps
 * and for benchmarks that fill maps with many entries at once ({@code bpf_map_update_batch}).
 * The downcalls live here rather than in {@link LibBpf} because nothing else needs them.
 */
public final class BpfMaps {
    private static final SymbolLookup LIBBPF = SymbolLookup.libraryLookup("libbpf.so.1", Arena.global());
    private static final MethodHandle MAP_CREATE = LibBpf.LINKER.downcallHandle(LIBBPF.find("bpf_map_create").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle MAP_UPDATE_BATCH = LibBpf.LINKER.downcallHandle(
            LIBBPF.find("bpf_map_update_batch").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

    private BpfMaps() {
    }

    /** A map this handle owns: closing it closes the map's fd (the kernel frees the map with its last reference). */
    public static final class Owned implements AutoCloseable {
        private final BpfMap map;
        private boolean closed;

        private Owned(BpfMap map) {
            this.map = map;
        }

        public BpfMap map() {
            return map;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            map.releaseBuffers();
            Libc.closeQuietly(map.name(), map.fd());
        }
    }

    /**
     * Creates a map with {@code bpf_map_create} (type as in {@link MapType}); the name is cut to the
     * kernel's 15 characters.
     */
    public static Owned create(int type, String name, int keySize, int valueSize, int maxEntries) throws BpfException {
        String kernelName = name.length() > 15 ? name.substring(0, 15) : name;
        try (Arena call = Arena.ofConfined()) {
            int fd = (int) MAP_CREATE.invokeExact(type, call.allocateFrom(kernelName), keySize, valueSize, maxEntries,
                    MemorySegment.NULL);
            if (fd < 0) {
                throw BpfException.of("map " + name + " (" + MapType.name(type) + ")", "create", fd);
            }
            return new Owned(new BpfMap(fd, kernelName, type, keySize, valueSize, maxEntries));
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Writes {@code count} entries in as few syscalls as the kernel allows: {@code keys} holds
     * {@code count} keys back to back, {@code values} as many values of {@link BpfMap#valueStride()} bytes.
     */
    public static void updateBatch(BpfMap map, byte[] keys, byte[] values, int count, long elemFlags) throws BpfException {
        if (keys.length < (long) count * map.keySize() || values.length < (long) count * map.valueStride()) {
            throw new BpfException(map.describe() + ": batch update arrays are shorter than " + count + " entries",
                    Errno.EINVAL);
        }
        try (Arena call = Arena.ofConfined()) {
            MemorySegment keySegment = call.allocate((long) count * map.keySize(), 8);
            MemorySegment valueSegment = call.allocate((long) count * map.valueStride(), 8);
            MemorySegment.copy(keys, 0, keySegment, JAVA_BYTE, 0, count * map.keySize());
            MemorySegment.copy(values, 0, valueSegment, JAVA_BYTE, 0, count * map.valueStride());
            MemorySegment countSegment = call.allocate(JAVA_INT);
            MemorySegment opts = call.allocate(LibBpf.BATCH_OPTS_SIZE, 8);
            opts.set(JAVA_LONG, 0, LibBpf.BATCH_OPTS_SIZE);
            opts.set(JAVA_LONG, 8, elemFlags);
            int done = 0;
            while (done < count) {
                countSegment.set(JAVA_INT, 0, count - done);
                int result = (int) MAP_UPDATE_BATCH.invokeExact(map.fd(),
                        keySegment.asSlice((long) done * map.keySize()),
                        valueSegment.asSlice((long) done * map.valueStride()), countSegment, opts);
                int written = countSegment.get(JAVA_INT, 0);
                if (result < 0) {
                    throw BpfException.of(map.describe(), "batch update (" + (done + written) + " of " + count
                            + " written)", result);
                }
                done += written;
                if (written == 0) {
                    throw new BpfException(map.describe() + ": batch update made no progress at entry " + done, Errno.EINVAL);
                }
            }
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
