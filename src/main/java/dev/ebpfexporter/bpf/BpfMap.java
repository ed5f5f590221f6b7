package dev.ebpfexporter.bpf;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.Downcall;
import dev.ebpfexporter.bpf.sys.Errno;
import dev.ebpfexporter.bpf.sys.LibBpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * One BPF map: either one of a {@link BpfObject}'s maps (metadata copied out when the object opens,
 * the fd read once at load) or a standalone map made from an fd (tests create such maps). Element
 * operations take and return heap byte arrays; whole-map reads go through {@link #readAll()}
 * (batched, one reused native buffer per map). Every operation on an object's map runs inside the
 * object's lifetime guard: after the object is closed it fails with "object closed".
 */
public final class BpfMap {
    private static final int CPUS = possibleCpus();

    private final BpfObject owner; // null for a standalone map
    private final MemorySegment map; // NULL for a standalone map
    private volatile int fd;
    private final String name;
    private final int type;
    private final int keySize;
    private final int valueSize;
    private final int maxEntries;
    private final int flags;
    private volatile MapReader reader;

    BpfMap(BpfObject owner, MemorySegment map) {
        this.owner = owner;
        this.map = map;
        this.fd = -1;
        String what = owner.name() + ": map";
        this.name = LibBpf.string(Downcall.ofPointer(what, "name", () -> (MemorySegment) LibBpf.MAP_NAME.invokeExact(map)));
        this.type = Downcall.ofInt(what, "type", () -> (int) LibBpf.MAP_TYPE.invokeExact(map));
        this.keySize = Downcall.ofInt(what, "key size", () -> (int) LibBpf.MAP_KEY_SIZE.invokeExact(map));
        this.valueSize = Downcall.ofInt(what, "value size", () -> (int) LibBpf.MAP_VALUE_SIZE.invokeExact(map));
        this.maxEntries = Downcall.ofInt(what, "max entries", () -> (int) LibBpf.MAP_MAX_ENTRIES.invokeExact(map));
        this.flags = Downcall.ofInt(what, "flags", () -> (int) LibBpf.MAP_FLAGS.invokeExact(map));
    }

    /** A map created outside any object; {@code fd} stays owned by the caller. */
    BpfMap(int fd, String name, int type, int keySize, int valueSize, int maxEntries) {
        this.owner = null;
        this.map = MemorySegment.NULL;
        this.fd = fd;
        this.name = name;
        this.type = type;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.maxEntries = maxEntries;
        this.flags = 0;
    }

    private static int possibleCpus() {
        return Downcall.ofInt("libbpf", "number of possible CPUs", () -> (int) LibBpf.NUM_POSSIBLE_CPUS.invokeExact());
    }

    /** Called once the object is loaded: the map exists in the kernel, its fd is read now. */
    void loaded() {
        fd = Downcall.ofInt(describe(), "fd", () -> (int) LibBpf.MAP_FD.invokeExact(map));
    }

    public String name() {
        return name;
    }

    public int type() {
        return type;
    }

    public int keySize() {
        return keySize;
    }

    public int valueSize() {
        return valueSize;
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** Type, sizes, entries and flags as the object defines them (what the kernel compares when a map is shared). */
    public MapDefinition definition() {
        return new MapDefinition(type, keySize, valueSize, maxEntries, flags);
    }

    /** Whether the object itself declares pinning ({@code __uint(pinning, LIBBPF_PIN_BY_NAME)}): libbpf pins it then. */
    public boolean pinnedByObject() {
        MemorySegment path = Downcall.ofPointer(describe(), "pin path", () -> (MemorySegment) LibBpf.MAP_PIN_PATH.invokeExact(map));
        return !path.equals(MemorySegment.NULL);
    }

    /**
     * Before the object loads: use the pinned map instead of creating one (libbpf's {@code bpf_map__reuse_fd},
     * which takes its own copy of the descriptor). The programs then read and write the pinned map's values.
     */
    public void reuse(PinnedMap pinned) throws BpfException {
        if (owner == null || fd >= 0) {
            throw new BpfException(describe() + ": only a map of an object not loaded yet can reuse a pinned map", Errno.EINVAL);
        }
        int result = Downcall.ofInt(describe(), "reuse " + pinned.path(),
                () -> (int) LibBpf.MAP_REUSE_FD.invokeExact(map, pinned.fd()));
        if (result < 0) {
            throw BpfException.of(describe(), "reuse " + pinned.path(), result);
        }
    }

    /** After load: pins the map at {@code path} (on a BPF filesystem; fails when something is pinned there). */
    public void pin(java.nio.file.Path path) throws BpfException {
        int result = whileOpen(call -> {
            MemorySegment name = call.allocateFrom(path.toString());
            return Downcall.ofInt(describe(), "pin at " + path, () -> (int) LibBpf.OBJ_PIN.invokeExact(fd, name));
        });
        if (result < 0) {
            throw BpfException.of(describe(), "pin at " + path, result);
        }
    }

    public boolean isPerCpu() {
        return MapType.isPerCpu(type);
    }

    /** CPUs a per-CPU value spans (1 for ordinary maps). */
    public int cpus() {
        return isPerCpu() ? CPUS : 1;
    }

    /** Bytes of one CPU's value slot: per-CPU values are 8-byte aligned per CPU. */
    public int valueSlot() {
        return isPerCpu() ? (valueSize + 7) & ~7 : valueSize;
    }

    /** Bytes of a whole value as the syscalls read and write it. */
    public int valueStride() {
        return valueSlot() * cpus();
    }

    /**
     * The map's fd: -1 before its object is loaded. Valid only while the object is open; operations
     * of this class check that, callers that pass the number on must hold the object open themselves.
     */
    public int fd() {
        return fd;
    }

    /** What one operation does with the map's fd, given a confined arena for its native arguments. */
    @FunctionalInterface
    private interface Operation<T> {
        T run(Arena call) throws BpfException;
    }

    /**
     * Runs {@code operation} inside the owner's lifetime guard (nothing for a standalone map): the
     * object cannot close while it runs, and it fails cleanly once the object is closed.
     */
    private <T> T whileOpen(Operation<T> operation) throws BpfException {
        if (owner != null) {
            owner.enter(describe());
        }
        try (Arena call = Arena.ofConfined()) {
            return operation.run(call);
        } finally {
            if (owner != null) {
                owner.exit();
            }
        }
    }

    /** The value for {@code key} (all CPUs' slots for per-CPU maps), or null when there is none. */
    public byte[] lookup(byte[] key) throws BpfException {
        checkKey(key);
        return whileOpen(call -> {
            MemorySegment value = call.allocate(valueStride(), 8);
            MemorySegment cKey = call.allocateFrom(JAVA_BYTE, key);
            int result = Downcall.ofInt(describe(), "lookup",
                    () -> (int) LibBpf.MAP_LOOKUP_ELEM.invokeExact(fd, cKey, value));
            if (result == -Errno.ENOENT) {
                return null;
            }
            if (result < 0) {
                throw BpfException.of(describe(), "lookup", result);
            }
            return value.toArray(JAVA_BYTE);
        });
    }

    /** Writes {@code value} (all CPUs' slots for per-CPU maps) at {@code key}; flags as for BPF_MAP_UPDATE_ELEM. */
    public void update(byte[] key, byte[] value, long flags) throws BpfException {
        checkKey(key);
        if (value.length != valueStride()) {
            throw new BpfException(describe() + ": value is " + value.length + " bytes, map takes " + valueStride(),
                    Errno.EINVAL);
        }
        int result = whileOpen(call -> {
            MemorySegment cKey = call.allocateFrom(JAVA_BYTE, key);
            MemorySegment cValue = call.allocateFrom(JAVA_BYTE, value);
            return Downcall.ofInt(describe(), "update",
                    () -> (int) LibBpf.MAP_UPDATE_ELEM.invokeExact(fd, cKey, cValue, flags));
        });
        if (result < 0) {
            throw BpfException.of(describe(), "update", result);
        }
    }

    /** Deletes {@code key}; returns false when it was not there. */
    public boolean delete(byte[] key) throws BpfException {
        checkKey(key);
        int result = whileOpen(call -> {
            MemorySegment cKey = call.allocateFrom(JAVA_BYTE, key);
            return Downcall.ofInt(describe(), "delete", () -> (int) LibBpf.MAP_DELETE_ELEM.invokeExact(fd, cKey));
        });
        if (result == -Errno.ENOENT) {
            return false;
        }
        if (result < 0) {
            throw BpfException.of(describe(), "delete", result);
        }
        return true;
    }

    /** Every entry, read with batch lookups (or key by key for map types that have no batch support). */
    public MapEntries readAll() throws BpfException {
        return whileOpen(unused -> reader().readAll());
    }

    /** Every entry, read the way the reference exporter does: get-next-key then lookup, per key. */
    public MapEntries readKeyByKey() throws BpfException {
        return whileOpen(unused -> reader().readKeyByKey());
    }

    MapReader reader() {
        MapReader current = reader;
        if (current == null) {
            synchronized (this) {
                current = reader;
                if (current == null) {
                    current = new MapReader(this);
                    reader = current;
                }
            }
        }
        return current;
    }

    /** Replaces the reader (tests: a tiny initial buffer, or batch reads turned off). */
    synchronized void useReader(MapReader replacement) {
        releaseBuffers();
        reader = replacement;
    }

    void releaseBuffers() {
        MapReader current = reader;
        if (current != null) {
            current.close();
        }
    }

    private void checkKey(byte[] key) throws BpfException {
        if (key.length != keySize) {
            throw new BpfException(describe() + ": key is " + key.length + " bytes, map has " + keySize, Errno.EINVAL);
        }
    }

    /** The libbpf {@code struct bpf_map *} (for the other classes of this package). */
    MemorySegment handle() {
        return map;
    }

    /** "object: map name" (or "map name" for a standalone map), how errors name this map. */
    public String describe() {
        return owner == null ? "map " + name : owner.name() + ": map " + name;
    }
}
