package dev.ebpfexporter.decoder;

import dev.ebpfexporter.platform.Architecture;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.DecoderConfig;
import dev.ebpfexporter.config.Source;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Decoders over the fixture machine in src/test/resources/decoder/, and byte helpers. */
final class Fixtures {
    static final Path ROOT = Path.of("src/test/resources/decoder").toAbsolutePath();

    private Fixtures() {
    }

    static KernelLookups lookups() {
        return KernelLookups.under(ROOT, Architecture.X86_64);
    }

    static Decoder decoder(String name) throws ConfigException {
        return new DecoderRegistry(lookups()).create(DecoderConfig.named(name), -1);
    }

    /** What the fixture machine's decoder {@code name} makes of a native-endian u32 {@code value}, as text. */
    static String decodeU32(String name, long value) throws Exception {
        return text(decoder(name).decode(u32(value)));
    }

    static DecoderConfig regexps(String... regexps) {
        return new DecoderConfig("regexp", Map.of(), List.of(regexps), false, new Source(Path.of("t.yaml"), 7));
    }

    static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] u32(long value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt((int) value).array();
    }

    static byte[] u64(long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.nativeOrder());
        for (long value : values) {
            buffer.putLong(value);
        }
        return buffer.array();
    }

    static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
