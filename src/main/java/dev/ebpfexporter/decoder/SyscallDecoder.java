package dev.ebpfexporter.decoder;

import java.util.Map;

/**
 * {@code syscall}: a decimal syscall number as its name on this architecture, else
 * {@code unknown_syscall:<n>} (a negative number printed as the unsigned 64-bit value, as the
 * reference does).
 */
final class SyscallDecoder implements Decoder {
    private final Map<Long, String> names;

    SyscallDecoder(Map<Long, String> names) {
        this.names = names;
    }

    @Override
    public byte[] decode(byte[] in) throws DecoderException {
        long number = Inputs.signedDecimal(in);
        String name = names.get(number);
        return Inputs.bytes(name != null ? name : "unknown_syscall:" + Long.toUnsignedString(number));
    }
}
