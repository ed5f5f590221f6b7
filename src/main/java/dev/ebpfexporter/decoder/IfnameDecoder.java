package dev.ebpfexporter.decoder;

/** {@code ifname}: a u32 interface index (first 4 bytes) as the interface name, else {@code unknown:<index>}. */
final class IfnameDecoder implements Decoder {
    private final NetInterfaces interfaces;

    IfnameDecoder(NetInterfaces interfaces) {
        this.interfaces = interfaces;
    }

    @Override
    public byte[] decode(byte[] in) throws DecoderException {
        long index = Inputs.u32(in, "ifname");
        return Inputs.bytes(interfaces.name(index).orElse("unknown:" + index));
    }
}
