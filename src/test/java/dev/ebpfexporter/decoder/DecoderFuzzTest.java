package dev.ebpfexporter.decoder;

import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.DecoderConfig;
import dev.ebpfexporter.config.LabelConfig;
import dev.ebpfexporter.config.Source;
import dev.ebpfexporter.metrics.LabelChain;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing label decoding (jqwik; tries from {@code jqwik.tries.default}, see docs/safety.md): chains of one
 * to three decoders of every kind (with static maps, regexps and {@code allow_unknown} generated) over the
 * fixture machine, fed random label bytes of the width the label declares. Each key must decode to valid
 * text with no control character but newline and tab (LabelText), be dropped ({@link SkipKeyException}) or fail as a
 * {@link DecoderException}; any other exception is a finding. A chain the registry refuses at load
 * (a width a decoder cannot read) is not a key-time case and is skipped.
 */
class DecoderFuzzTest {
    private static final DecoderRegistry REGISTRY = new DecoderRegistry(Fixtures.lookups());
    private static final List<String> NAMES = new ArrayList<>(DecoderRegistry.NAMES);
    private static final Source SOURCE = new Source(Path.of("/fuzz/label.yaml"), 1);

    static {
        NAMES.addAll(DecoderRegistry.KUBE_NAMES);
        NAMES.sort(null);
    }

    @Provide
    Arbitrary<DecoderConfig> decoders() {
        Arbitrary<Map<String, String>> staticMap = Arbitraries.maps(
                Arbitraries.oneOf(Arbitraries.integers().between(-2, 300).map(String::valueOf),
                        Arbitraries.strings().ofMaxLength(6)),
                Arbitraries.strings().ofMaxLength(8)).ofMaxSize(4);
        Arbitrary<List<String>> regexps = Arbitraries.of("^a", "b$", ".*", "^(x|y)+$", "[0-9]+", "\\p{L}", "^$", "(?i)EPERM",
                "sys_.*", "^/sys/fs/cgroup/.*").list().ofMaxSize(3);
        return Combinators.combine(Arbitraries.of(NAMES), staticMap, regexps, Arbitraries.of(true, false))
                .as((name, map, patterns, allowUnknown) -> new DecoderConfig(name, map, patterns, allowUnknown, SOURCE));
    }

    /** Chains as configs write them: a decoder of raw bytes first (most of the time), then any. */
    @Provide
    Arbitrary<List<DecoderConfig>> chains() {
        Arbitrary<DecoderConfig> first = Arbitraries.frequencyOf(
                Tuple.of(3, decoders().filter(d -> List.of("uint", "string", "hex", "inet_ip", "ksym", "kstack", "majorminor",
                        "ifname", "dname").contains(d.name()))),
                Tuple.of(1, decoders()));
        return Combinators.combine(first, decoders().list().ofMaxSize(2)).as((head, rest) -> {
            List<DecoderConfig> chain = new ArrayList<>(List.of(head));
            chain.addAll(rest);
            return chain;
        });
    }

    @Provide
    Arbitrary<Integer> sizes() {
        // mostly the widths keys have (the load-time checks refuse most others), sometimes any
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(1, 2, 4, 8, 8, 8, 16, 32, 64)),
                Tuple.of(1, Arbitraries.integers().between(1, 300)));
    }

    @Property
    void labelBytesDecodeToTextOrFailAsDecoderErrors(@ForAll("chains") List<DecoderConfig> decoders,
                                                     @ForAll("sizes") int size, @ForAll long seed) {
        LabelChain chain;
        try {
            chain = LabelChain.of(new LabelConfig("fuzzed", size, 0, decoders, SOURCE), REGISTRY::create);
        } catch (ConfigException refusedAtLoad) {
            assertThat(refusedAtLoad.getMessage()).startsWith(SOURCE.toString()).doesNotContain("\n");
            Assume.that(false);
            return;
        }
        byte[] key = bytes(size + 16, seed);
        try {
            String value = chain.decode(key, 8, size);
            assertThat(value.codePoints().filter(c -> Character.getType(c) == Character.CONTROL && c != '\n' && c != '\t')).isEmpty();
            assertThat(value.codePoints().filter(c -> Character.getType(c) == Character.SURROGATE)).isEmpty();
        } catch (SkipKeyException dropped) {
            // a decoder chose to drop the key (no regexp matched, unknown static_map value)
        } catch (DecoderException failed) {
            assertThat(failed.getMessage()).isNotBlank().doesNotContain("\n");
        }
    }

    /** Label bytes: mostly small numbers and text (what keys hold), sometimes anything. */
    private static byte[] bytes(int length, long seed) {
        java.util.Random random = new java.util.Random(seed);
        byte[] bytes = new byte[length];
        switch (random.nextInt(4)) {
            case 0 -> random.nextBytes(bytes);
            case 1 -> bytes[8] = (byte) random.nextInt(256); // a small little-endian number
            case 2 -> { // printable text, NUL-terminated somewhere
                for (int i = 0; i < length; i++) {
                    bytes[i] = (byte) (' ' + random.nextInt(95));
                }
                bytes[8 + random.nextInt(length - 8)] = 0;
            }
            default -> { // 0xff and 0x00 runs: maximum values, empty strings
                java.util.Arrays.fill(bytes, random.nextBoolean() ? (byte) 0xff : 0);
                bytes[8 + random.nextInt(length - 8)] = (byte) random.nextInt(256);
            }
        }
        return bytes;
    }
}
