package dev.ebpfexporter.decoder;

import java.util.HexFormat;

/** {@code hex}: the bytes as lowercase hex, two digits each. */
final class HexDecoder implements Decoder {
    @Override
    public byte[] decode(byte[] in) {
        return Inputs.bytes(HexFormat.of().formatHex(in));
    }
}
