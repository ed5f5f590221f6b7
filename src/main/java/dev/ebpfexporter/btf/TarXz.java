package dev.ebpfexporter.btf;

import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Copies one regular file out of a {@code .tar.xz} (as the public BTF archives pack each kernel's file): xz through
 * XZ for Java, the tar read here (ustar headers, with GNU long names and pax {@code path} records, which is what
 * GNU tar writes). Nothing else of the archive is written anywhere.
 */
final class TarXz {
    private static final int BLOCK = 512;

    private TarXz() {
    }

    /**
     * Writes the member whose last path component is {@code fileName} to {@code target}.
     *
     * @return whether the archive held it
     * @throws IOException the archive is not xz, or not a tar inside, or ends early
     */
    static boolean extract(Path archive, String fileName, Path target) throws IOException {
        try (InputStream in = new XZInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
            Optional<String> longName = Optional.empty();
            byte[] header = new byte[BLOCK];
            while (true) {
                if (!readBlock(in, header)) {
                    throw new IOException("the tar inside ends without its end-of-archive blocks");
                }
                if (isZero(header)) {
                    return false;
                }
                if (!isTarHeader(header)) {
                    throw new IOException("not a tar inside the xz (no tar header where one should start)");
                }
                long size = size(header);
                char type = (char) header[156];
                String name = longName.orElseGet(() -> name(header));
                longName = Optional.empty();
                switch (type) {
                    case 'L' -> longName = Optional.of(cString(readAll(in, size)));
                    case 'x' -> longName = paxPath(readAll(in, size));
                    case '0', '\0' -> {
                        if (baseName(name).equals(fileName)) {
                            try (OutputStream out = Files.newOutputStream(target)) {
                                copy(in, out, size);
                            }
                            return true;
                        }
                        skip(in, padded(size));
                        continue;
                    }
                    default -> skip(in, padded(size));
                }
                if (type == 'L' || type == 'x') {
                    skip(in, padded(size) - size);
                }
            }
        }
    }

    private static boolean isTarHeader(byte[] header) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xff;
        }
        String stored = new String(header, 148, 8, StandardCharsets.US_ASCII).replace("\0", " ").strip();
        try {
            return !stored.isEmpty() && Long.parseLong(stored, 8) == sum;
        } catch (NumberFormatException e) {
            return false; // not octal digits: not a header
        }
    }

    private static String name(byte[] header) {
        String name = cString(header, 0, 100);
        String magic = new String(header, 257, 5, StandardCharsets.US_ASCII);
        String prefix = magic.equals("ustar") ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** Octal digits, or GNU's base-256 for sizes octal cannot hold (high bit of the first byte set). */
    private static long size(byte[] header) throws IOException {
        if ((header[124] & 0x80) != 0) {
            long size = 0;
            for (int i = 125; i < 136; i++) {
                size = size << 8 | header[i] & 0xff;
            }
            return size;
        }
        String octal = new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", " ").strip();
        try {
            return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
        } catch (NumberFormatException e) {
            throw new IOException("tar header with a bad size field \"" + octal + "\"", e);
        }
    }

    /** A pax extended header's {@code path} record ({@code "<length> path=<value>\n"}), if it has one. */
    private static Optional<String> paxPath(byte[] records) {
        String text = new String(records, StandardCharsets.UTF_8);
        for (String record : text.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return Optional.of(record.substring(space + 1 + "path=".length()));
            }
        }
        return Optional.empty();
    }

    private static String baseName(String name) {
        String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        return in.readNBytes(block, 0, BLOCK) == BLOCK;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] readAll(InputStream in, long size) throws IOException {
        if (size > 1 << 20) {
            throw new IOException("tar extended header of " + size + " bytes");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length != size) {
            throw new IOException("the tar inside ends in the middle of a header");
        }
        return data;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buffer = new byte[1 << 16];
        for (long left = size; left > 0; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("the tar inside ends in the middle of a file");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        in.skipNBytes(bytes);
    }

    private static String cString(byte[] bytes) {
        return cString(bytes, 0, bytes.length);
    }

    private static String cString(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }
}
