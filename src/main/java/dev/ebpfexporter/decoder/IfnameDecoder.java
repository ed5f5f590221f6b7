package dev.ebpfexporter.decoder;

/** {@code ifname}: a u32 interface index (first 4 bytes) as the interface name, else {@code unknown:<index>}. */
record IfnameDecoder(NetInterfaces interfaces) implements Decoder {
    @Override
    public byte[] decode(byte[] in) throws DecoderException {
        long index = Inputs.u32(in, "ifname");
        return Inputs.bytes(interfaces.name(index).orElse("unknown:" + index));
    }
}
