package dev.ebpfexporter.http;

import dev.ebpfexporter.exposition.ByteBuf;

import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip into a reused buffer with a reused {@link Deflater}: a header, the raw deflate stream and
 * the CRC-32/length trailer, in one pass over the body. Not thread-safe: one per scrape buffer.
 */
final class Gzip {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();

    Gzip(int level) {
        this.deflater = new Deflater(level, true);
    }

    /** Replaces {@code out}'s contents with {@code in} compressed. */
    void compress(ByteBuf in, ByteBuf out) {
        out.clear();
        out.put(HEADER);
        deflater.reset();
        deflater.setInput(in.array(), 0, in.size());
        deflater.finish();
        while (!deflater.finished()) {
            out.ensure(Math.max(8192, in.size() / 4));
            int n = deflater.deflate(out.array(), out.size(), out.capacity() - out.size());
            out.truncate(out.size() + n);
        }
        crc.reset();
        crc.update(in.array(), 0, in.size());
        int sum = (int) crc.getValue();
        int length = in.size();
        for (int i = 0; i < 4; i++) {
            out.put((byte) (sum >>> (8 * i)));
        }
        for (int i = 0; i < 4; i++) {
            out.put((byte) (length >>> (8 * i)));
        }
    }

    void close() {
        deflater.end();
    }
}
