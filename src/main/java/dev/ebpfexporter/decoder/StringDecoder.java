package dev.ebpfexporter.decoder;

import java.util.Arrays;

/** {@code string}: the bytes up to the first NUL (all of them if there is none). */
final class StringDecoder implements Decoder {
    @Override
    public byte[] decode(byte[] in) {
        for (int i = 0; i < in.length; i++) {
            if (in[i] == 0) {
                return Arrays.copyOf(in, i);
            }
        }
        return in;
    }
}
