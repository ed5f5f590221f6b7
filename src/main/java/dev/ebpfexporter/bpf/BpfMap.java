package dev.ebpfexporter.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * One BPF map: either one of a {@link BpfObject}'s maps (metadata copied out when the object opens,
 * {@link #fd()} valid after load) or a standalone map created from Java by {@link BpfMaps#create}
 * (fd-based, closed by its {@link BpfMaps.Owned} handle). Element operations take and return heap byte arrays; whole-map reads go
 * through {@link #readAll()} (batched, one reused native buffer per map).
 */
public final class BpfMap {
    private static final int CPUS = possibleCpus();

    private final BpfObject owner; // null for a standalone map
    private final MemorySegment map; // NULL for a standalone map
    private final int standaloneFd;
    private final String name;
    private final int type;
    private final int keySize;
    private final int valueSize;
    private final int maxEntries;
    private volatile MapReader reader;

    BpfMap(BpfObject owner, MemorySegment map) {
        this.owner = owner;
        this.map = map;
        this.standaloneFd = -1;
        try {
            this.name = LibBpf.string((MemorySegment) LibBpf.MAP_NAME.invokeExact(map));
            this.type = (int) LibBpf.MAP_TYPE.invokeExact(map);
            this.keySize = (int) LibBpf.MAP_KEY_SIZE.invokeExact(map);
            this.valueSize = (int) LibBpf.MAP_VALUE_SIZE.invokeExact(map);
            this.maxEntries = (int) LibBpf.MAP_MAX_ENTRIES.invokeExact(map);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A map created outside any object (see {@link BpfMaps#create}); {@code fd} stays owned by the caller. */
    BpfMap(int fd, String name, int type, int keySize, int valueSize, int maxEntries) {
        this.owner = null;
        this.map = MemorySegment.NULL;
        this.standaloneFd = fd;
        this.name = name;
        this.type = type;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.maxEntries = maxEntries;
    }

    private static int possibleCpus() {
        try {
            return (int) LibBpf.NUM_POSSIBLE_CPUS.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
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

    public int fd() {
        if (owner == null) {
            return standaloneFd;
        }
        try {
            return (int) LibBpf.MAP_FD.invokeExact(map);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The value for {@code key} (all CPUs' slots for per-CPU maps), or null when there is none. */
    public byte[] lookup(byte[] key) throws BpfException {
        checkKey(key);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment value = call.allocate(valueStride(), 8);
            int result = (int) LibBpf.MAP_LOOKUP_ELEM.invokeExact(fd(), call.allocateFrom(JAVA_BYTE, key), value);
            if (result == -Errno.ENOENT) {
                return null;
            }
            if (result < 0) {
                throw BpfException.of(describe(), "lookup", result);
            }
            return value.toArray(JAVA_BYTE);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Writes {@code value} (all CPUs' slots for per-CPU maps) at {@code key}; flags as for BPF_MAP_UPDATE_ELEM. */
    public void update(byte[] key, byte[] value, long flags) throws BpfException {
        checkKey(key);
        if (value.length != valueStride()) {
            throw new BpfException(describe() + ": value is " + value.length + " bytes, map takes " + valueStride(),
                    Errno.EINVAL);
        }
        try (Arena call = Arena.ofConfined()) {
            int result = (int) LibBpf.MAP_UPDATE_ELEM.invokeExact(fd(), call.allocateFrom(JAVA_BYTE, key),
                    call.allocateFrom(JAVA_BYTE, value), flags);
            if (result < 0) {
                throw BpfException.of(describe(), "update", result);
            }
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Deletes {@code key}; returns false when it was not there. */
    public boolean delete(byte[] key) throws BpfException {
        checkKey(key);
        try (Arena call = Arena.ofConfined()) {
            int result = (int) LibBpf.MAP_DELETE_ELEM.invokeExact(fd(), call.allocateFrom(JAVA_BYTE, key));
            if (result == -Errno.ENOENT) {
                return false;
            }
            if (result < 0) {
                throw BpfException.of(describe(), "delete", result);
            }
            return true;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Every entry, read with batch lookups (or key by key for map types that have no batch support). */
    public MapEntries readAll() throws BpfException {
        return reader().readAll();
    }

    /** Every entry, read the way the reference exporter does: get-next-key then lookup, per key. */
    public MapEntries readKeyByKey() throws BpfException {
        return reader().readKeyByKey();
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

    String describe() {
        return owner == null ? "map " + name : owner.name() + ": map " + name;
    }
}
