package dev.ebpfexporter.bpf;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.Downcall;
import dev.ebpfexporter.bpf.sys.Errno;
import dev.ebpfexporter.bpf.sys.LibBpf;
import dev.ebpfexporter.bpf.sys.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A map pinned on a BPF filesystem, opened by its path ({@code BPF_OBJ_GET}): its definition as the
 * kernel reports it, and a descriptor that {@link BpfMap#reuse} hands to an object before it loads.
 * Closing closes our descriptor only; the pin, and the map while it is pinned, stay.
 */
public final class PinnedMap implements AutoCloseable {
    private final Path path;
    private final int fd;
    private final int id;
    private final MapDefinition definition;

    private PinnedMap(Path path, int fd, int id, MapDefinition definition) {
        this.path = path;
        this.fd = fd;
        this.id = id;
        this.definition = definition;
    }

    /** Opens the map pinned at {@code path}; fails when nothing or something other than a map is pinned there. */
    public static PinnedMap open(Path path) throws BpfException {
        String what = "pinned map " + path;
        int fd;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment name = call.allocateFrom(path.toString());
            fd = Downcall.ofInt(what, "open", () -> (int) LibBpf.OBJ_GET.invokeExact(name));
        }
        if (fd < 0) {
            throw BpfException.of(what, "open", fd);
        }
        try (Arena call = Arena.ofConfined()) {
            requireMap(what, fd);
            MemorySegment info = call.allocate(LibBpf.MAP_INFO_SIZE, 8);
            MemorySegment length = call.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, (int) LibBpf.MAP_INFO_SIZE);
            int result = Downcall.ofInt(what, "read its definition",
                    () -> (int) LibBpf.OBJ_GET_INFO_BY_FD.invokeExact(fd, info, length));
            if (result < 0) {
                throw BpfException.of(what, "read its definition", result);
            }
            MapDefinition definition = new MapDefinition(info.get(JAVA_INT, LibBpf.MAP_INFO_TYPE),
                    info.get(JAVA_INT, LibBpf.MAP_INFO_KEY_SIZE), info.get(JAVA_INT, LibBpf.MAP_INFO_VALUE_SIZE),
                    info.get(JAVA_INT, LibBpf.MAP_INFO_MAX_ENTRIES), info.get(JAVA_INT, LibBpf.MAP_INFO_FLAGS));
            return new PinnedMap(path, fd, info.get(JAVA_INT, LibBpf.MAP_INFO_ID), definition);
        } catch (BpfException | RuntimeException e) {
            Libc.closeQuietly(what, fd);
            throw e;
        }
    }

    /**
     * BPF_OBJ_GET opens programs and links too, and BPF_OBJ_GET_INFO_BY_FD would fill their own structs;
     * the fd's fdinfo names a map's type only for a map.
     */
    private static void requireMap(String what, int fd) throws BpfException {
        String fdinfo;
        try {
            fdinfo = java.nio.file.Files.readString(Path.of("/proc/self/fdinfo/" + fd));
        } catch (java.io.IOException e) {
            // BpfException carries errno and message only; the message has the reason
            throw new BpfException(what + ": cannot read /proc/self/fdinfo/" + fd + ": " + e.getMessage(), Errno.EIO);
        }
        if (!fdinfo.contains("\nmap_type:")) {
            throw new BpfException(what + ": is not a map (a program or link is pinned there)", Errno.EINVAL);
        }
    }

    public Path path() {
        return path;
    }

    /** The kernel's id of the map (as {@code bpftool map show} lists it). */
    public int id() {
        return id;
    }

    public MapDefinition definition() {
        return definition;
    }

    int fd() {
        return fd;
    }

    @Override
    public void close() {
        Libc.closeQuietly("pinned map " + path, fd);
    }
}
