package dev.ebpfexporter.bpf.check;

import dev.ebpfexporter.bpf.check.ObjectFileCheck.Damage;

import java.nio.ByteBuffer;

import static dev.ebpfexporter.bpf.check.ObjectFileCheck.require;

/**
 * Structural checks of an object's {@code .BTF} and {@code .BTF.ext} sections: headers inside their
 * section, every type record inside the type area, every name offset inside the string area and
 * every type id a record refers to inside the type table. libbpf 1.1 follows type ids without range
 * checks when it opens an object, so an out-of-range id is a crash, not an error.
 */
final class BtfCheck {
    private static final int MAGIC = 0xeb9f;
    private static final int HEADER_SIZE = 24;
    private static final int EXT_HEADER_SIZE = 32;
    private static final int EXT_HEADER_WITH_CORE_SIZE = 40;
    private static final int MAX_KIND = 19;

    private final long types;
    private final long strings;

    private BtfCheck(long types, long strings) {
        this.types = types;
        this.strings = strings;
    }

    /** Checks {@code .BTF}; the result checks {@code .BTF.ext} against its types and strings. */
    static BtfCheck check(ByteBuffer btf) throws Damage {
        long size = btf.capacity();
        require(size >= HEADER_SIZE, ".BTF: %d bytes, shorter than its header", size);
        require(Short.toUnsignedInt(btf.getShort(0)) == MAGIC, ".BTF: bad magic 0x%04x",
                Short.toUnsignedInt(btf.getShort(0)));
        long headerLength = u32(btf, 4);
        long typeOff = u32(btf, 8);
        long typeLen = u32(btf, 12);
        long strOff = u32(btf, 16);
        long strLen = u32(btf, 20);
        require(headerLength >= HEADER_SIZE && headerLength <= size, ".BTF: header length %d in a %d-byte section",
                headerLength, size);
        long data = size - headerLength;
        require(typeOff % 4 == 0 && typeOff + typeLen <= strOff && strOff + strLen <= data,
                ".BTF: types at %d (%d bytes) and strings at %d (%d bytes) do not fit its %d bytes of data",
                typeOff, typeLen, strOff, strLen, data);
        require(strLen > 0 && btf.get((int) (headerLength + strOff)) == 0
                && btf.get((int) (headerLength + strOff + strLen - 1)) == 0,
                ".BTF: string area does not start and end with NUL");
        long count = countTypes(btf, (int) (headerLength + typeOff), (int) typeLen, strLen);
        BtfCheck check = new BtfCheck(count, strLen);
        int[] chain = check.checkReferences(btf, (int) (headerLength + typeOff), (int) typeLen);
        checkChains(chain);
        return check;
    }

    /** Walks the type records once for their bounds and names; returns the number of ids (void included). */
    private static long countTypes(ByteBuffer btf, int start, int length, long strLen) throws Damage {
        int at = start;
        int end = start + length;
        long id = 1;
        while (at < end) {
            if (end - at < 12) {
                throw new Damage(".BTF: type " + id + " is cut off at the end of the type area");
            }
            long nameOff = u32(btf, at);
            int info = btf.getInt(at + 4);
            int kind = (info >>> 24) & 0x1f;
            if (kind < 1 || kind > MAX_KIND) {
                throw new Damage(".BTF: type " + id + " has unknown kind " + kind);
            }
            if (nameOff >= strLen) {
                throw new Damage(".BTF: type " + id + " name at " + nameOff + " is outside the " + strLen
                        + "-byte string area");
            }
            long next = at + 12L + extraBytes(kind, info & 0xffff);
            if (next > end) {
                throw new Damage(".BTF: type " + id + " (kind " + kind + ", " + (info & 0xffff)
                        + " entries) runs past the type area");
            }
            if (kind == 4 || kind == 5 || kind == 6 || kind == 13 || kind == 19) {
                int entry = kind == 6 || kind == 13 ? 8 : 12;
                for (int m = 0; m < (info & 0xffff); m++) {
                    long memberName = u32(btf, at + 12 + m * entry);
                    if (memberName >= strLen) {
                        throw new Damage(".BTF: type " + id + " entry " + m + " name at " + memberName
                                + " is outside the " + strLen + "-byte string area");
                    }
                }
            }
            at = (int) next;
            id++;
        }
        return id;
    }

    /** Bytes after the 12-byte common part of a type record, by kind. */
    private static long extraBytes(int kind, int vlen) {
        return switch (kind) {
            case 1, 14, 17 -> 4; // int encoding; var linkage; decl_tag component index
            case 3 -> 12; // array: element type, index type, count
            case 4, 5, 15, 19 -> 12L * vlen; // members; datasec variables; enum64 values
            case 6, 13 -> 8L * vlen; // enum values; function parameters
            default -> 0;
        };
    }

    /**
     * Second walk, now that the number of types is known: every referenced type id is in range.
     * Returns, per type id, the type it stands for (modifiers, typedefs, pointers, arrays, variables,
     * functions, tags) or 0, for {@link #checkChains}.
     */
    private int[] checkReferences(ByteBuffer btf, int start, int length) throws Damage {
        int[] chain = new int[(int) types];
        int at = start;
        int end = start + length;
        int id = 1;
        while (at < end) {
            int info = btf.getInt(at + 4);
            int kind = (info >>> 24) & 0x1f;
            int vlen = info & 0xffff;
            switch (kind) {
                case 2, 8, 9, 10, 11, 12, 14, 17, 18 -> {
                    type(id, "", u32(btf, at + 8));
                    chain[id] = (int) u32(btf, at + 8);
                }
                case 3 -> {
                    chain[id] = (int) u32(btf, at + 12);
                    type(id, "element", u32(btf, at + 12));
                    type(id, "index", u32(btf, at + 16));
                }
                case 4, 5 -> {
                    for (int m = 0; m < vlen; m++) {
                        type(id, "member " + m, u32(btf, at + 12 + m * 12 + 4));
                    }
                }
                case 13 -> {
                    type(id, "return value", u32(btf, at + 8));
                    for (int p = 0; p < vlen; p++) {
                        type(id, "parameter " + p, u32(btf, at + 12 + p * 8 + 4));
                    }
                }
                case 15 -> {
                    for (int v = 0; v < vlen; v++) {
                        type(id, "variable " + v, u32(btf, at + 12 + v * 12));
                    }
                }
                default -> {
                }
            }
            at += (int) (12 + extraBytes(kind, vlen));
            id++;
        }
        return chain;
    }

    /**
     * A chain of modifiers, typedefs, pointers, arrays, variables or functions must end (at void, an
     * integer, a struct, ...): libbpf follows such chains without a step limit, so a loop (typedef A
     * of B, typedef B of A) hangs it. Valid C loops only through structs, unions and prototypes.
     */
    private static void checkChains(int[] chain) throws Damage {
        byte[] state = new byte[chain.length]; // 0 unvisited, 1 on the current walk, 2 ends
        for (int first = 1; first < chain.length; first++) {
            int id = first;
            while (id != 0 && state[id] == 0) {
                state[id] = 1;
                id = chain[id];
            }
            if (id != 0 && state[id] == 1) {
                throw new Damage(".BTF: type " + id + " refers to itself through a chain of types");
            }
            for (id = first; id != 0 && state[id] == 1; id = chain[id]) {
                state[id] = 2;
            }
        }
    }

    private void type(long id, String what, long referenced) throws Damage {
        if (referenced >= types) {
            throw new Damage(".BTF: type " + id + (what.isEmpty() ? "" : " " + what) + " refers to type " + referenced
                    + ", there are " + types + " types");
        }
    }

    /** Checks {@code .BTF.ext}: function info, line info and CO-RE relocation records. */
    void checkExt(ByteBuffer ext) throws Damage {
        long size = ext.capacity();
        require(size >= EXT_HEADER_SIZE, ".BTF.ext: %d bytes, shorter than its header", size);
        require(Short.toUnsignedInt(ext.getShort(0)) == MAGIC, ".BTF.ext: bad magic 0x%04x",
                Short.toUnsignedInt(ext.getShort(0)));
        long headerLength = u32(ext, 4);
        require(headerLength >= EXT_HEADER_SIZE && headerLength <= size,
                ".BTF.ext: header length %d in a %d-byte section", headerLength, size);
        ByteBuffer data = ext.slice((int) headerLength, (int) (size - headerLength)).order(ext.order());
        infoSection(data, "func_info", u32(ext, 8), u32(ext, 12), 8);
        infoSection(data, "line_info", u32(ext, 16), u32(ext, 20), 16);
        if (headerLength >= EXT_HEADER_WITH_CORE_SIZE) {
            infoSection(data, "core_relo", u32(ext, 32), u32(ext, 36), 16);
        }
    }

    /** One info area: a record size, then per ELF section its name, record count and records. */
    private void infoSection(ByteBuffer data, String what, long offset, long length, int minRecord) throws Damage {
        if (length == 0) {
            return;
        }
        require(offset % 4 == 0 && offset <= data.capacity() && length <= data.capacity() - offset && length >= 4,
                ".BTF.ext: %s at %d (%d bytes) is outside its %d bytes of data", what, offset, length, data.capacity());
        int at = (int) offset;
        int end = (int) (offset + length);
        long record = u32(data, at);
        require(record >= minRecord && record % 4 == 0 && record <= 1024, ".BTF.ext: %s record size %d", what, record);
        at += 4;
        while (at < end) {
            require(end - at >= 8, ".BTF.ext: %s is cut off", what);
            long name = u32(data, at);
            long count = u32(data, at + 4);
            require(name < strings, ".BTF.ext: %s section name at %d is outside the string area", what, name);
            require(count > 0 && count <= (end - at - 8) / record, ".BTF.ext: %s has %d records of %d bytes in %d bytes",
                    what, count, record, end - at - 8);
            at += 8;
            for (long i = 0; i < count; i++, at += (int) record) {
                boolean typed = !what.equals("line_info");
                if (typed && u32(data, at + 4) >= types) {
                    throw new Damage(".BTF.ext: " + what + " " + i + " refers to type " + u32(data, at + 4)
                            + ", there are " + types + " types");
                }
                long stringAt = u32(data, at + 8);
                if ((!typed && u32(data, at + 4) >= strings) || (!what.equals("func_info") && stringAt >= strings)) {
                    throw new Damage(".BTF.ext: " + what + " " + i + " names a string outside the "
                            + strings + "-byte string area");
                }
            }
        }
    }

    private static long u32(ByteBuffer buffer, int at) {
        return Integer.toUnsignedLong(buffer.getInt(at));
    }
}
