package dev.ebpfexporter.decoder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Symbols of a kallsyms file, parsed once into address-sorted parallel arrays and searched by
 * binary search. The file is read on first use and again only when an address has no symbol.
 */
public final class Kallsyms implements KernelSymbols {
    /** Addresses are compared unsigned; flipping the sign bit lets signed order do it. */
    private record Table(long[] flippedAddresses, String[] names) {
        String containing(long address) {
            long key = address ^ Long.MIN_VALUE;
            int i = Arrays.binarySearch(flippedAddresses, key);
            if (i >= 0) {
                // several symbols may share an address: take the last one, as a rightmost search does
                while (i + 1 < flippedAddresses.length && flippedAddresses[i + 1] == key) {
                    i++;
                }
                return names[i];
            }
            int below = -i - 2;
            return below >= 0 ? names[below] : null;
        }
    }

    private final Path file;
    private volatile Table table;

    public Kallsyms(Path file) {
        this.file = file;
    }

    @Override
    public String[] resolve(long... addresses) throws DecoderException {
        Table current = loaded();
        String[] names = lookup(current, addresses);
        if (Arrays.asList(names).contains(null)) {
            names = lookup(reload(current), addresses);
        }
        return names;
    }

    private static String[] lookup(Table table, long[] addresses) {
        String[] names = new String[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            names[i] = table.containing(addresses[i]);
        }
        return names;
    }

    private Table loaded() throws DecoderException {
        Table current = table;
        return current != null ? current : reload(null);
    }

    /** Reloads unless another thread already replaced {@code seen} while we waited. */
    private synchronized Table reload(Table seen) throws DecoderException {
        if (table != seen && table != null) {
            return table;
        }
        try {
            table = parse(Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            throw new DecoderException("cannot read kernel symbols from " + file + ": " + e.getMessage(), e);
        }
        return table;
    }

    /** Lines are {@code <hex address> <type> <name>[\t[module]]}; the name keeps any module suffix. */
    static Table parse(byte[] text) {
        int lines = 0;
        for (byte b : text) {
            if (b == '\n') {
                lines++;
            }
        }
        long[] addresses = new long[lines + 1];
        String[] names = new String[lines + 1];
        int count = 0;
        boolean sorted = true;
        for (int start = 0; start < text.length; ) {
            int end = indexOf(text, (byte) '\n', start, text.length);
            int firstSpace = indexOf(text, (byte) ' ', start, end);
            int secondSpace = indexOf(text, (byte) ' ', firstSpace + 1, end);
            if (secondSpace < end) {
                int nameEnd = indexOf(text, (byte) ' ', secondSpace + 1, end);
                addresses[count] = parseHex(text, start, firstSpace) ^ Long.MIN_VALUE;
                names[count] = new String(text, secondSpace + 1, nameEnd - secondSpace - 1, StandardCharsets.UTF_8);
                sorted &= count == 0 || addresses[count - 1] <= addresses[count];
                count++;
            }
            start = end + 1;
        }
        return sorted ? new Table(Arrays.copyOf(addresses, count), Arrays.copyOf(names, count))
                : sortedTable(addresses, names, count);
    }

    /** Stable sort by address: kallsyms lists module and BPF symbols after the kernel's own. */
    private static Table sortedTable(long[] addresses, String[] names, int count) {
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(addresses[a], addresses[b]));
        long[] sortedAddresses = new long[count];
        String[] sortedNames = new String[count];
        for (int i = 0; i < count; i++) {
            sortedAddresses[i] = addresses[order[i]];
            sortedNames[i] = names[order[i]];
        }
        return new Table(sortedAddresses, sortedNames);
    }

    private static int indexOf(byte[] text, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text[i] == wanted) {
                return i;
            }
        }
        return to;
    }

    private static long parseHex(byte[] text, int from, int to) {
        if (from == to || to - from > 16) {
            throw new IllegalArgumentException("bad kallsyms address " + new String(text, from, to - from, StandardCharsets.UTF_8));
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = Character.digit(text[i], 16);
            if (digit < 0) {
                throw new IllegalArgumentException("bad kallsyms address " + new String(text, from, to - from, StandardCharsets.UTF_8));
            }
            value = value << 4 | digit;
        }
        return value;
    }
}
