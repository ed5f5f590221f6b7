package dev.ebpfexporter.decoder;

import java.util.Arrays;

/**
 * {@code kstack}: an array of u64 kernel addresses, innermost frame first, as symbol names joined
 * by newlines (as the reference; not semicolons). The first zero address ends the stack; an address
 * without a symbol shows as {@code ??}.
 */
record KstackDecoder(KernelSymbols symbols) implements Decoder {
    @Override
    public byte[] decode(byte[] in) throws DecoderException {
        if (in.length % 8 != 0) {
            throw new DecoderException("kstack needs a multiple of 8 bytes, got " + in.length);
        }
        var host = Inputs.host(in);
        long[] frames = new long[in.length / 8];
        int depth = 0;
        while (depth < frames.length && (frames[depth] = host.getLong(depth * 8)) != 0) {
            depth++;
        }
        String[] names = symbols.resolve(Arrays.copyOf(frames, depth));
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null) {
                names[i] = "??";
            }
        }
        return Inputs.bytes(String.join("\n", names));
    }
}
