package dev.ebpfexporter.decoder;

import static dev.ebpfexporter.decoder.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StringDecoderTest {
    private final Decoder string = new StringDecoder();

    @Test
    void stopsAtTheFirstNul() throws DecoderException {
        assertThat(text(string.decode(text("systemd\0journald\0\0")))).isEqualTo("systemd");
    }

    @Test
    void keepsEverythingWithoutNul() throws DecoderException {
        assertThat(text(string.decode(text("regular string")))).isEqualTo("regular string");
    }

    @Test
    void leadingNulGivesEmptyLabel() throws DecoderException {
        assertThat(string.decode(text("\0abc"))).isEmpty();
    }
}
