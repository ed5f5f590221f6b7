package dev.ebpfexporter.decoder;

import static dev.ebpfexporter.decoder.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StaticMapDecoderTest {
    private static final Map<String, String> OPS = Map.of("1", "read", "2", "write");

    @Test
    void replacesAMappedValue() throws DecoderException {
        assertThat(text(new StaticMapDecoder(OPS, false).decode(text("2")))).isEqualTo("write");
    }

    @Test
    void unmappedValueIsUnknownColonValueAndKeepsTheKey() throws DecoderException {
        assertThat(text(new StaticMapDecoder(OPS, false).decode(text("3")))).isEqualTo("unknown:3");
    }

    @Test
    void allowUnknownPassesTheUnmappedValueThrough() throws DecoderException {
        assertThat(text(new StaticMapDecoder(OPS, true).decode(text("3")))).isEqualTo("3");
        assertThat(text(new StaticMapDecoder(OPS, true).decode(text("1")))).isEqualTo("read");
    }

    @Test
    void noEntriesAtAllGivesEmptyMappingForEveryValue() throws DecoderException {
        assertThat(text(new StaticMapDecoder(Map.of(), true).decode(text("1")))).isEqualTo("empty mapping");
    }
}
