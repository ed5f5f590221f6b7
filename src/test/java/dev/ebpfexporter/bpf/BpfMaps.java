package dev.ebpfexporter.bpf;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.Errno;
import dev.ebpfexporter.bpf.sys.LibBpf;
import dev.ebpfexporter.bpf.sys.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final SymbolLookup LIBBPF = LibBpf.lookup();
    private static final MethodHandle MAP_CREATE = LibBpf.LINKER.downcallHandle(LIBBPF.find("bpf_map_create").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle MAP_GET_FD_BY_ID = LibBpf.LINKER.downcallHandle(
            LIBBPF.find("bpf_map_get_fd_by_id").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    // struct bpf_map_info: type, id, key_size, value_size, max_entries, map_flags (u32 each), then char name[16].
    private static final int MAP_INFO_SIZE = 128; // larger than the kernel's struct: the rest stays zero
    private static final int MAP_INFO_NAME = 24;
    private static final Pattern FDINFO_MAP_ID = Pattern.compile("(?m)^map_id:\\s+(\\d+)$");
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

    /**
     * Opens the map called {@code name} that process {@code pid} holds (another process's map, e.g.
     * the launched exporter's): its fds' {@code map_id} from /proc, each opened by id
     * ({@code BPF_MAP_GET_FD_BY_ID}, root only) and named by the kernel (15 characters at most).
     */
    public static Owned openHeldBy(long pid, String name) throws BpfException, IOException {
        String kernelName = name.length() > 15 ? name.substring(0, 15) : name;
        List<String> seen = new ArrayList<>();
        for (int id : mapIdsHeldBy(pid)) {
            Owned map = openById(id);
            if (map.map().name().equals(kernelName)) {
                return map;
            }
            seen.add(map.map().name());
            map.close();
        }
        throw new BpfException("process " + pid + " holds no map " + kernelName + " (it holds " + seen + ")", Errno.ENOENT);
    }

    private static List<Integer> mapIdsHeldBy(long pid) throws IOException {
        List<Integer> ids = new ArrayList<>();
        List<Path> fds;
        try (var listing = Files.list(Path.of("/proc", Long.toString(pid), "fdinfo"))) {
            fds = listing.toList();
        }
        for (Path fd : fds) {
            try {
                Matcher id = FDINFO_MAP_ID.matcher(Files.readString(fd, StandardCharsets.US_ASCII));
                if (id.find() && !ids.contains(Integer.parseInt(id.group(1)))) {
                    ids.add(Integer.parseInt(id.group(1)));
                }
            } catch (NoSuchFileException closedMeanwhile) {
                // the fd was closed between listing and reading
            }
        }
        return ids;
    }

    /** Opens the map with kernel id {@code id}; the returned handle owns the new fd, not the map. */
    public static Owned openById(int id) throws BpfException {
        try (Arena call = Arena.ofConfined()) {
            int fd = (int) MAP_GET_FD_BY_ID.invokeExact(id);
            if (fd < 0) {
                throw BpfException.of("map id " + id, "open by id", fd);
            }
            MemorySegment info = call.allocate(MAP_INFO_SIZE, 8);
            MemorySegment length = call.allocateFrom(JAVA_INT, MAP_INFO_SIZE);
            int result = (int) LibBpf.OBJ_GET_INFO_BY_FD.invokeExact(fd, info, length);
            if (result < 0) {
                Libc.closeQuietly("map id " + id, fd);
                throw BpfException.of("map id " + id, "get map info", result);
            }
            String name = info.asSlice(MAP_INFO_NAME, 16).getString(0, StandardCharsets.US_ASCII);
            return new Owned(new BpfMap(fd, name, info.get(JAVA_INT, 0), info.get(JAVA_INT, 8), info.get(JAVA_INT, 12),
                    info.get(JAVA_INT, 16)));
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
