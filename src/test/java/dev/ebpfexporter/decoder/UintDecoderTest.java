package dev.ebpfexporter.decoder;

import static dev.ebpfexporter.decoder.Fixtures.bytes;
import static dev.ebpfexporter.decoder.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UintDecoderTest {
    private final Decoder uint = new UintDecoder();

    @Test
    void decodesOneTwoFourAndEightLittleEndianBytesAsDecimal() throws DecoderException {
        assertThat(text(uint.decode(bytes(0x01)))).isEqualTo("1");
        assertThat(text(uint.decode(bytes(0x02, 0x01)))).isEqualTo("258");
        assertThat(text(uint.decode(bytes(0x04, 0x00, 0x00, 0x01)))).isEqualTo("16777220");
        assertThat(text(uint.decode(bytes(0x08, 0, 0, 0, 0, 0, 0, 0)))).isEqualTo("8");
    }

    @Test
    void treatsTheTopBitAsMagnitudeNotSign() throws DecoderException {
        assertThat(text(uint.decode(bytes(0xff)))).isEqualTo("255");
        assertThat(text(uint.decode(bytes(0xff, 0xff)))).isEqualTo("65535");
        assertThat(text(uint.decode(bytes(0xff, 0xff, 0xff, 0xff)))).isEqualTo("4294967295");
        assertThat(text(uint.decode(bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)))).isEqualTo("18446744073709551615");
    }

    @Test
    void failsOnOtherLengths() {
        assertThatThrownBy(() -> uint.decode(bytes(1, 2, 3))).isInstanceOf(DecoderException.class)
                .isNotInstanceOf(SkipKeyException.class).hasMessageContaining("3 bytes");
        assertThatThrownBy(() -> uint.decode(new byte[0])).isInstanceOf(DecoderException.class);
    }
}
