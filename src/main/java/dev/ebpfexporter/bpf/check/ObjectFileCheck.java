package dev.ebpfexporter.bpf.check;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.Errno;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Structural checks of a BPF object file before libbpf parses it. libbpf runs inside our process and
 * trusts several fields of the file (BTF type ids, for one: an out-of-range id makes libbpf 1.1 read
 * past its type table and crash the JVM), so every offset, size, count and type id it follows is
 * checked here first: the ELF header, the section table, symbols, relocations, {@code .BTF} and
 * {@code .BTF.ext}. A failure is one line naming the file and the damaged field. What the checks
 * cannot judge (instructions, semantics) stays with libbpf and the kernel's verifier, which refuse
 * with an error instead of crashing.
 */
public final class ObjectFileCheck {
    /** Far above any real object (the bundled ones are under 1 MiB); reading is all in memory. */
    static final long MAX_SIZE = 64L << 20;

    private static final int EHDR_SIZE = 64;
    private static final int SHDR_SIZE = 64;
    private static final int SYM_SIZE = 24;
    private static final int REL_SIZE = 16;
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_STRTAB = 3;
    private static final int SHT_REL = 9;
    private static final int SHT_NOBITS = 8;
    private static final int SHN_LORESERVE = 0xff00;
    private static final int SHN_XINDEX = 0xffff;

    private ObjectFileCheck() {
    }

    /**
     * Reads {@code file} (a regular file, at most {@link #MAX_SIZE}), checks it and returns the bytes it checked.
     * Hand those bytes to libbpf, not the path: a file read twice could be replaced in between.
     */
    public static byte[] read(Path file) throws BpfException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new BpfException(file + ": no such BPF object file", Errno.ENOENT, e);
        }
        if (!attributes.isRegularFile()) {
            throw new BpfException(file + ": not a regular file", Errno.EINVAL);
        }
        if (attributes.size() > MAX_SIZE) {
            throw new BpfException(file + ": " + attributes.size() + " bytes, more than a BPF object can be ("
                    + MAX_SIZE + ")", Errno.E2BIG);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new BpfException(file + ": cannot read: " + e.getMessage(), Errno.EACCES, e);
        }
        check(file.toString(), bytes);
        return bytes;
    }

    /** Checks the bytes of an object file; {@code name} starts the error message. */
    public static void check(String name, byte[] bytes) throws BpfException {
        try {
            checkElf(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
        } catch (Damage damage) {
            throw new BpfException(name + ": damaged BPF object: " + damage.getMessage(), Errno.EINVAL, damage);
        }
    }

    private static void checkElf(ByteBuffer elf) throws Damage {
        long size = elf.capacity();
        require(size >= EHDR_SIZE, "%d bytes, shorter than an ELF header", size);
        require(elf.getInt(0) == 0x464c457f, "no ELF magic");
        require(elf.get(4) == 2, "not a 64-bit ELF file (class %d)", elf.get(4));
        require(elf.get(5) == 1, "not a little-endian ELF file (data encoding %d)", elf.get(5));
        long shoff = elf.getLong(0x28);
        int shentsize = Short.toUnsignedInt(elf.getShort(0x3a));
        int shnum = Short.toUnsignedInt(elf.getShort(0x3c));
        int shstrndx = Short.toUnsignedInt(elf.getShort(0x3e));
        require(shentsize == SHDR_SIZE, "section header size %d, expected %d", shentsize, SHDR_SIZE);
        require(shnum > 0 && shnum < SHN_LORESERVE, "section count %d", shnum);
        require(shoff >= EHDR_SIZE && shoff <= size && (long) shnum * SHDR_SIZE <= size - shoff,
                "section table at %d (%d sections) is outside the file's %d bytes", shoff, shnum, size);
        require(shstrndx < shnum, "section name table index %d, only %d sections", shstrndx, shnum);

        Section[] sections = new Section[shnum];
        for (int i = 0; i < shnum; i++) {
            sections[i] = Section.read(elf, (int) (shoff + (long) i * SHDR_SIZE), i);
            Section s = sections[i];
            require(s.link < shnum, "section %d links to section %d, only %d sections", i, s.link, shnum);
            if (s.type != SHT_NOBITS) {
                require(s.offset >= 0 && s.size >= 0 && s.offset <= size && s.size <= size - s.offset,
                        "section %d (offset %d, %d bytes) is outside the file's %d bytes", i, s.offset, s.size, size);
            }
        }
        Section names = sections[shstrndx];
        require(names.type == SHT_STRTAB, "section name table (section %d) is not a string table", shstrndx);
        for (Section s : sections) {
            s.name = string(elf, names, s.nameOffset, "section " + s.index + " name");
        }
        for (Section s : sections) {
            if (s.type == SHT_SYMTAB) {
                checkSymbols(elf, s, sections);
            } else if (s.type == SHT_REL) {
                checkRelocations(elf, s, sections);
            }
        }
        Section btf = null;
        Section btfExt = null;
        for (Section s : sections) {
            if (".BTF".equals(s.name)) {
                btf = s;
            } else if (".BTF.ext".equals(s.name)) {
                btfExt = s;
            }
        }
        if (btf != null) {
            require(btf.type != SHT_NOBITS, ".BTF has no contents");
            BtfCheck types = BtfCheck.check(slice(elf, btf));
            if (btfExt != null) {
                require(btfExt.type != SHT_NOBITS, ".BTF.ext has no contents");
                types.checkExt(slice(elf, btfExt));
            }
        }
    }

    private static void checkSymbols(ByteBuffer elf, Section symtab, Section[] sections) throws Damage {
        require(symtab.entrySize == SYM_SIZE, "symbol table entry size %d, expected %d", symtab.entrySize, SYM_SIZE);
        require(symtab.size % SYM_SIZE == 0, "symbol table size %d is not a multiple of %d", symtab.size, SYM_SIZE);
        Section strings = sections[(int) symtab.link];
        require(strings.type == SHT_STRTAB, "symbol table links to section %d, not a string table", symtab.link);
        int count = (int) (symtab.size / SYM_SIZE);
        for (int i = 0; i < count; i++) {
            int at = (int) symtab.offset + i * SYM_SIZE;
            long nameOffset = Integer.toUnsignedLong(elf.getInt(at));
            int shndx = Short.toUnsignedInt(elf.getShort(at + 6));
            if (nameOffset >= strings.size) {
                throw new Damage("symbol " + i + " name at " + nameOffset + " is outside the " + strings.size
                        + "-byte string table");
            }
            if (shndx >= sections.length && (shndx < SHN_LORESERVE || shndx == SHN_XINDEX)) {
                throw new Damage("symbol " + i + " is in section " + shndx + ", only " + sections.length + " sections");
            }
        }
    }

    private static void checkRelocations(ByteBuffer elf, Section rel, Section[] sections) throws Damage {
        require(rel.entrySize == REL_SIZE, "%s: relocation entry size %d, expected %d", rel.name, rel.entrySize, REL_SIZE);
        require(rel.size % REL_SIZE == 0, "%s: size %d is not a multiple of %d", rel.name, rel.size, REL_SIZE);
        require(rel.info < sections.length, "%s: applies to section %d, only %d sections", rel.name, rel.info,
                sections.length);
        Section symtab = sections[(int) rel.link];
        require(symtab.type == SHT_SYMTAB, "%s: links to section %d, not the symbol table", rel.name, rel.link);
        long symbols = symtab.size / SYM_SIZE;
        long count = rel.size / REL_SIZE;
        for (long i = 0; i < count; i++) {
            long info = elf.getLong((int) (rel.offset + i * REL_SIZE + 8));
            long symbol = info >>> 32;
            if (symbol >= symbols) {
                throw new Damage(rel.name + ": relocation " + i + " uses symbol " + symbol + ", only " + symbols
                        + " symbols");
            }
        }
    }

    private static String string(ByteBuffer elf, Section table, long offset, String what) throws Damage {
        require(offset < table.size, "%s at offset %d is outside the %d-byte string table", what, offset, table.size);
        int start = (int) (table.offset + offset);
        int end = (int) (table.offset + table.size);
        StringBuilder text = new StringBuilder();
        for (int i = start; i < end; i++) {
            byte b = elf.get(i);
            if (b == 0) {
                return text.toString();
            }
            text.append((char) (b & 0xff));
        }
        throw new Damage(what + " is not NUL-terminated");
    }

    private static ByteBuffer slice(ByteBuffer elf, Section s) {
        return elf.slice((int) s.offset, (int) s.size).order(ByteOrder.LITTLE_ENDIAN);
    }

    static void require(boolean condition, String format, Object... args) throws Damage {
        if (!condition) {
            throw new Damage(args.length == 0 ? format : String.format(format, args));
        }
    }

    /** What is damaged, without the file name (added by {@link #check(String, byte[])}). */
    static final class Damage extends Exception {
        Damage(String message) {
            super(message, null, false, false);
        }
    }

    /** One ELF64 section header. */
    private static final class Section {
        final int index;
        final long nameOffset;
        final int type;
        final long offset;
        final long size;
        final long link;
        final long info;
        final long entrySize;
        String name;

        private Section(int index, long nameOffset, int type, long offset, long size, long link, long info,
                        long entrySize) {
            this.index = index;
            this.nameOffset = nameOffset;
            this.type = type;
            this.offset = offset;
            this.size = size;
            this.link = link;
            this.info = info;
            this.entrySize = entrySize;
        }

        static Section read(ByteBuffer elf, int at, int index) {
            return new Section(index, Integer.toUnsignedLong(elf.getInt(at)), elf.getInt(at + 4), elf.getLong(at + 0x18),
                    elf.getLong(at + 0x20), Integer.toUnsignedLong(elf.getInt(at + 0x28)), Integer.toUnsignedLong(elf.getInt(at + 0x2c)),
                    elf.getLong(at + 0x38));
        }
    }
}
