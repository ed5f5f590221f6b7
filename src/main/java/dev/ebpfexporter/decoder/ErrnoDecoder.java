package dev.ebpfexporter.decoder;

import java.util.Map;

/** {@code errno}: an unsigned decimal errno as its name ({@code 1} is {@code EPERM}), else {@code unknown:<n>}. */
final class ErrnoDecoder implements Decoder {
    private static final Map<Long, String> NAMES = NameTables.errnos();

    @Override
    public byte[] decode(byte[] in) throws DecoderException {
        long errno = Inputs.unsignedDecimal(in);
        String name = NAMES.get(errno);
        return Inputs.bytes(name != null ? name : "unknown:" + Long.toUnsignedString(errno));
    }
}
