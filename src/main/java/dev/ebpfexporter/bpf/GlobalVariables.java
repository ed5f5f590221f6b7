package dev.ebpfexporter.bpf;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.Downcall;
import dev.ebpfexporter.bpf.sys.Errno;
import dev.ebpfexporter.bpf.sys.LibBpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Writes global variables of an opened (not yet loaded) object: {@code const volatile} ones in
 * {@code .rodata} and plain ones in {@code .data}/{@code .bss}. The variable is found through the
 * object's BTF (its {@code DATASEC} gives the section and the offset), and the value is written
 * into the libbpf map that backs that section before load, as libbpf skeletons do.
 */
public final class GlobalVariables {
    // struct btf_type: name_off u32, info u32 (vlen in the low 16 bits), size/type u32; a DATASEC
    // is followed by vlen struct btf_var_secinfo { u32 type; u32 offset; u32 size; }.
    private static final long BTF_TYPE_SIZE = 12;
    private static final long SECINFO_SIZE = 12;

    private GlobalVariables() {
    }

    /** Where a global variable lives: the section (e.g. {@code .rodata}), its offset and size in bytes. */
    public record Location(String section, int offset, int size) {
    }

    /** Finds {@code variable} in the object's BTF, or empty when the object has no such global. */
    public static Optional<Location> find(BpfObject object, String variable) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment btf = (MemorySegment) LibBpf.OBJECT_BTF.invokeExact(object.handle());
            if (btf.equals(MemorySegment.NULL)) {
                return Optional.empty();
            }
            int varId = (int) LibBpf.BTF_FIND_BY_NAME_KIND.invokeExact(btf, call.allocateFrom(variable),
                    LibBpf.BTF_KIND_VAR);
            if (varId <= 0) {
                return Optional.empty();
            }
            int count = (int) LibBpf.BTF_TYPE_CNT.invokeExact(btf);
            for (int id = 1; id < count; id++) {
                MemorySegment type = ((MemorySegment) LibBpf.BTF_TYPE_BY_ID.invokeExact(btf, id))
                        .reinterpret(BTF_TYPE_SIZE);
                int info = type.get(JAVA_INT, 4);
                if (((info >>> 24) & 0x1f) != LibBpf.BTF_KIND_DATASEC) {
                    continue;
                }
                int vlen = info & 0xffff;
                MemorySegment entries = type.reinterpret(BTF_TYPE_SIZE + vlen * SECINFO_SIZE);
                for (int i = 0; i < vlen; i++) {
                    long at = BTF_TYPE_SIZE + i * SECINFO_SIZE;
                    if (entries.get(JAVA_INT, at) == varId) {
                        String section = LibBpf.string(
                                (MemorySegment) LibBpf.BTF_NAME_BY_OFFSET.invokeExact(btf, type.get(JAVA_INT, 0)));
                        return Optional.of(new Location(section, entries.get(JAVA_INT, at + 4),
                                entries.get(JAVA_INT, at + 8)));
                    }
                }
            }
            return Optional.empty();
        } catch (Throwable t) {
            throw Downcall.failed(object.name(), "find global variable " + variable, t);
        }
    }

    /**
     * Sets the u64 global {@code variable} to {@code value} before load.
     *
     * @throws BpfException naming the object and variable when it is missing, not 8 bytes, or its
     *                      section has no map (the object was already loaded, or the section is unknown)
     */
    public static void setU64(BpfObject object, String variable, long value) throws BpfException {
        Location location = find(object, variable).orElseThrow(() -> new BpfException(object.name()
                + ": no global variable " + variable + " (declare it as `const volatile u64 " + variable
                + " = 0;`)", Errno.ENOENT));
        if (location.size() != 8) {
            throw new BpfException(object.name() + ": global variable " + variable + " is " + location.size()
                    + " bytes, expected a u64 (8 bytes)", Errno.EINVAL);
        }
        BpfMap map = object.maps().stream().filter(m -> m.name().endsWith(location.section())).findFirst()
                .orElseThrow(() -> new BpfException(object.name() + ": no map backs section " + location.section()
                        + " of global variable " + variable, Errno.ENOENT));
        try (Arena call = Arena.ofConfined()) {
            MemorySegment size = call.allocate(JAVA_LONG);
            MemorySegment data = (MemorySegment) LibBpf.MAP_INITIAL_VALUE.invokeExact(map.handle(), size);
            if (data.equals(MemorySegment.NULL)) {
                throw new BpfException(object.name() + ": section " + location.section()
                        + " cannot be written (already loaded?)", Errno.EINVAL);
            }
            long length = size.get(JAVA_LONG, 0);
            if (location.offset() + 8L > length) {
                throw new BpfException(object.name() + ": global variable " + variable + " at offset "
                        + location.offset() + " lies outside its " + length + "-byte section", Errno.EINVAL);
            }
            data.reinterpret(length).set(JAVA_LONG.withByteAlignment(1), location.offset(), value);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw Downcall.failed(object.name(), "set global variable " + variable, t);
        }
    }
}
