package dev.ebpfexporter.decoder;

/**
 * {@code majorminor}: a u32 device number (first 4 bytes) as the block device name, else
 * {@code unknown:<major>:<minor>}.
 *
 * <p>The number must be in the userspace encoding that the kernel's {@code new_encode_dev()} makes
 * (minor bits 0-7, major bits 8-19, more minor bits 20-31), which is what the reference decodes
 * and what its examples build with their {@code MKDEV} macro. The kernel-internal {@code dev_t}
 * ({@code major << 20 | minor}, e.g. the {@code dev} field of block tracepoints) is not detected:
 * the BPF side has to convert it.
 */
record MajorMinorDecoder(BlockDevices devices) implements Decoder {
    @Override
    public byte[] decode(byte[] in) throws DecoderException {
        long dev = Inputs.u32(in, "majorminor");
        long major = (dev & 0xfff00) >>> 8;
        long minor = (dev & 0xff) | ((dev >>> 12) & 0xfff00);
        return Inputs.bytes(devices.name(major, minor).orElse("unknown:" + major + ":" + minor));
    }
}
