package dev.ebpfexporter.decoder;

/**
 * {@code ksym}: a u64 kernel address (first 8 bytes) as the name of the symbol containing it,
 * else {@code unknown_addr:0x<hex>}. Module symbols keep kallsyms' {@code \t[module]} suffix, as
 * in the reference.
 */
record KsymDecoder(KernelSymbols symbols) implements Decoder {
    @Override
    public byte[] decode(byte[] in) throws DecoderException {
        long address = Inputs.u64(in, "ksym");
        String name = symbols.resolve(address)[0];
        return Inputs.bytes(name != null ? name : "unknown_addr:0x" + Long.toHexString(address));
    }
}
