package dev.ebpfexporter.decoder;

import static dev.ebpfexporter.decoder.Fixtures.bytes;
import static dev.ebpfexporter.decoder.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HexDecoderTest {
    @Test
    void writesEveryByteAsTwoLowercaseHexDigitsInOrder() {
        assertThat(text(new HexDecoder().decode(bytes(0x01)))).isEqualTo("01");
        assertThat(text(new HexDecoder().decode(bytes(0xde, 0xad, 0xbe, 0xef, 0x00)))).isEqualTo("deadbeef00");
        assertThat(text(new HexDecoder().decode(new byte[0]))).isEmpty();
    }
}
