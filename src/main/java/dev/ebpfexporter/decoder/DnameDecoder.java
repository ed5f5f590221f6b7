package dev.ebpfexporter.decoder;

import java.util.Arrays;

/**
 * {@code dname}: a DNS name in wire format (length-prefixed labels, RFC 1035 3.1) as dotted text:
 * {@code \7example\3com} becomes {@code example.com}. Like the reference, every length byte turns
 * into a dot (so trailing zero bytes become trailing dots), empty input is {@code .}, and input
 * whose lengths run past its end comes out unchanged.
 */
final class DnameDecoder implements Decoder {
    private static final byte[] ROOT = {'.'};

    @Override
    public byte[] decode(byte[] in) {
        if (in.length == 0) {
            return ROOT;
        }
        byte[] out = in.clone();
        for (int at = 0; at < in.length; ) {
            int length = Byte.toUnsignedInt(in[at]);
            out[at++] = '.';
            if (at + length > in.length) {
                return in;
            }
            at += length;
        }
        return Arrays.copyOfRange(out, 1, out.length);
    }
}
