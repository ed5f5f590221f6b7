package dev.ebpfexporter.decoder;

import dev.ebpfexporter.config.YamlNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Reading a decoder's input: raw key bytes in host byte order, or the decimal text of a previous decoder. */
final class Inputs {
    private Inputs() {
    }

    /** The BPF program wrote the key in the host's byte order (little-endian on x86_64 and arm64). */
    static ByteBuffer host(byte[] in) {
        return ByteBuffer.wrap(in).order(ByteOrder.nativeOrder());
    }

    static long u32(byte[] in, String decoder) throws DecoderException {
        need(in, 4, decoder);
        return Integer.toUnsignedLong(host(in).getInt(0));
    }

    static long u64(byte[] in, String decoder) throws DecoderException {
        need(in, 8, decoder);
        return host(in).getLong(0);
    }

    private static void need(byte[] in, int bytes, String decoder) throws DecoderException {
        if (in.length < bytes) {
            throw new DecoderException(decoder + " needs at least " + bytes + " bytes, got " + in.length);
        }
    }

    static String text(byte[] in) {
        return new String(in, StandardCharsets.UTF_8);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A signed decimal integer, as Go's strconv.Atoi reads it (optional sign, digits only). */
    static long signedDecimal(byte[] in) throws DecoderException {
        String text = text(in);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new DecoderException("cannot parse " + input(text) + " as an integer", e);
        }
    }

    /** An unsigned decimal integer, as Go's strconv.ParseUint reads it (digits only, no sign). */
    static long unsignedDecimal(byte[] in) throws DecoderException {
        String text = text(in);
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new DecoderException("cannot parse " + input(text) + " as an unsigned integer");
        }
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new DecoderException("cannot parse " + input(text) + " as an unsigned integer", e);
        }
    }

    /** Go's {@code %0Nx} of a signed value: at least {@code width} hex digits, a minus sign if negative. */
    static String hex(long value, int width) {
        String digits = Long.toHexString(Math.abs(value));
        String padded = "0".repeat(Math.max(0, width - digits.length())) + digits;
        return value < 0 ? "-" + padded : padded;
    }

    static String quoted(String text) {
        return '"' + text + '"';
    }

    /**
     * A decoder's input in an error, as config messages quote values (line breaks escaped, at most 120
     * characters): it may be any key bytes, a whole line-broken stack or a 64 KiB string.
     */
    static String input(String text) {
        return YamlNode.quote(text);
    }
}
