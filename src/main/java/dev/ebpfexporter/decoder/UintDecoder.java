package dev.ebpfexporter.decoder;

/** {@code uint}: an unsigned integer of 1, 2, 4 or 8 bytes in host byte order, as decimal text. */
final class UintDecoder implements Decoder {
    @Override
    public byte[] decode(byte[] in) throws DecoderException {
        var host = Inputs.host(in);
        long value = switch (in.length) {
            case 1 -> Byte.toUnsignedLong(in[0]);
            case 2 -> Short.toUnsignedLong(host.getShort(0));
            case 4 -> Integer.toUnsignedLong(host.getInt(0));
            case 8 -> host.getLong(0);
            default -> throw new DecoderException("uint cannot decode " + in.length + " bytes, only 1, 2, 4 or 8");
        };
        return Inputs.bytes(Long.toUnsignedString(value));
    }
}
