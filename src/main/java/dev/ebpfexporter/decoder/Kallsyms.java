package dev.ebpfexporter.decoder;

import java.io.IOException;
import java.lang.ref.SoftReference;
import java.nio.charset.StandardCharsets;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Symbols of a kallsyms file, parsed once into address-sorted parallel arrays and searched by
 * binary search. The file is read on first use (or {@link #preload}) and again only when an address has no
 * symbol, always through the descriptor opened first (see {@link #channel}). A table whose every address is
 * 0 (a reader without CAP_SYSLOG) never replaces one read before, and is an error when there is none.
 *
 * <p>The table is compact: a real kallsyms has 100k+ symbols, and one {@code String} each cost
 * ~10 MiB of heap for the life of the process. Names are kept as one byte array with offsets and
 * become strings only when looked up (the decoded labels above are cached). Even so it is ~4.5 MiB,
 * and once every key a map holds is decoded it is rarely needed again: it is held softly, so the
 * collector drops it after it has gone unused for a while (the launcher's
 * {@code -XX:SoftRefLRUPolicyMSPerMB} says how long) and the next miss reads the file again.
 */
public final class Kallsyms implements KernelSymbols {
    /**
     * Symbol {@code i} starts at {@code flippedAddresses[i]} and is named by the UTF-8 bytes
     * {@code names[nameOffsets[i]..nameOffsets[i + 1])}. Addresses are compared unsigned; flipping
     * the sign bit lets signed order do it.
     */
    private record Table(long[] flippedAddresses, byte[] names, int[] nameOffsets) {
        String containing(long address) {
            long key = address ^ Long.MIN_VALUE;
            int i = Arrays.binarySearch(flippedAddresses, key);
            if (i >= 0) {
                // several symbols may share an address: take the last one, as a rightmost search does
                while (i + 1 < flippedAddresses.length && flippedAddresses[i + 1] == key) {
                    i++;
                }
                return name(i);
            }
            int below = -i - 2;
            return below >= 0 ? name(below) : null;
        }

        /** Every address 0: what kallsyms shows a reader without CAP_SYSLOG. */
        boolean hidden() {
            long zero = Long.MIN_VALUE; // 0 with the sign bit flipped
            return flippedAddresses.length > 0 && flippedAddresses[0] == zero
                    && flippedAddresses[flippedAddresses.length - 1] == zero;
        }

        private String name(int i) {
            return new String(names, nameOffsets[i], nameOffsets[i + 1] - nameOffsets[i], StandardCharsets.UTF_8);
        }
    }

    private final Path file;
    private volatile SoftReference<Table> table = new SoftReference<>(null);
    /**
     * Opened on the first read and kept: /proc/kallsyms decides at open whether its reader sees addresses, so
     * re-reads through it keep seeing them (modules loaded later included) after the process gives up root.
     */
    private FileChannel channel;

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
        Table current = table.get();
        return current != null ? current : reload(null);
    }

    /** Reloads unless another thread already replaced {@code seen} while we waited. */
    private synchronized Table reload(Table seen) throws DecoderException {
        Table current = table.get();
        if (current != seen && current != null) {
            return current;
        }
        Table read;
        try {
            read = parse(readAll());
        } catch (IOException | RuntimeException e) {
            throw new DecoderException("cannot read kernel symbols from " + file + ": " + e.getMessage(), e);
        }
        if (read.hidden()) {
            // Read without CAP_SYSLOG (say, after --runas.user): keep what was read before, else fail
            // rather than decode every address as the one symbol at 0.
            if (current != null) {
                return current;
            }
            throw new DecoderException("kernel symbols in " + file + " are hidden (every address is 0): reading"
                    + " them needs CAP_SYSLOG (kernel.kptr_restrict)");
        }
        table = new SoftReference<>(read);
        return read;
    }

    /** The whole file, read from the start through the descriptor opened first. */
    private byte[] readAll() throws IOException {
        if (channel == null || !channel.isOpen()) {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        }
        channel.position(0);
        // Not closed: closing the stream would close the channel kept for the next re-read.
        return Channels.newInputStream(channel).readAllBytes();
    }

    /** Reads the table now, while the process may still read real addresses. */
    @Override
    public void preload() throws DecoderException {
        loaded();
    }

    /**
     * Lines are {@code <hex address> <type> <name>[\t[module]]}; the name keeps any module suffix.
     * The names are packed to the front of {@code text} itself (a name never starts before the
     * bytes already packed), so parsing allocates little beyond the table.
     */
    static Table parse(byte[] text) {
        int lines = 0;
        for (byte b : text) {
            if (b == '\n') {
                lines++;
            }
        }
        long[] addresses = new long[lines + 1];
        int[] offsets = new int[lines + 2];
        int count = 0;
        int packed = 0;
        boolean sorted = true;
        for (int start = 0; start < text.length; ) {
            int end = indexOf(text, (byte) '\n', start, text.length);
            int firstSpace = indexOf(text, (byte) ' ', start, end);
            int secondSpace = indexOf(text, (byte) ' ', firstSpace + 1, end);
            if (secondSpace < end) {
                int nameEnd = indexOf(text, (byte) ' ', secondSpace + 1, end);
                addresses[count] = parseHex(text, start, firstSpace) ^ Long.MIN_VALUE;
                int length = nameEnd - secondSpace - 1;
                System.arraycopy(text, secondSpace + 1, text, packed, length);
                offsets[count] = packed;
                packed += length;
                sorted &= count == 0 || addresses[count - 1] <= addresses[count];
                count++;
            }
            start = end + 1;
        }
        offsets[count] = packed;
        return sorted ? new Table(Arrays.copyOf(addresses, count), Arrays.copyOf(text, packed), Arrays.copyOf(offsets, count + 1))
                : sortedTable(addresses, text, offsets, count);
    }

    /** Stable sort by address: kallsyms lists module and BPF symbols after the kernel's own. */
    private static Table sortedTable(long[] addresses, byte[] names, int[] offsets, int count) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        mergeSort(order, new int[count], 0, count, addresses);
        long[] sortedAddresses = new long[count];
        byte[] sortedNames = new byte[offsets[count]];
        int[] sortedOffsets = new int[count + 1];
        int packed = 0;
        for (int i = 0; i < count; i++) {
            int symbol = order[i];
            int length = offsets[symbol + 1] - offsets[symbol];
            sortedAddresses[i] = addresses[symbol];
            System.arraycopy(names, offsets[symbol], sortedNames, packed, length);
            sortedOffsets[i] = packed;
            packed += length;
        }
        sortedOffsets[count] = packed;
        return new Table(sortedAddresses, sortedNames, sortedOffsets);
    }

    /**
     * Sorts {@code order[from..to)} by {@code keys[order[i]]}, stably (equal keys keep file order),
     * without boxing. Already ordered halves, the common case in kallsyms, cost one comparison.
     */
    private static void mergeSort(int[] order, int[] scratch, int from, int to, long[] keys) {
        if (to - from < 2) {
            return;
        }
        int middle = (from + to) >>> 1;
        mergeSort(order, scratch, from, middle, keys);
        mergeSort(order, scratch, middle, to, keys);
        if (keys[order[middle - 1]] <= keys[order[middle]]) {
            return;
        }
        System.arraycopy(order, from, scratch, from, to - from);
        int left = from;
        int right = middle;
        for (int i = from; i < to; i++) {
            if (right >= to || left < middle && keys[scratch[left]] <= keys[scratch[right]]) {
                order[i] = scratch[left++];
            } else {
                order[i] = scratch[right++];
            }
        }
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
