package dev.ebpfexporter.decoder;

import static dev.ebpfexporter.decoder.Fixtures.bytes;
import static dev.ebpfexporter.decoder.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UintDecoderTest {
    private final Decoder uint = new UintDecoder();

    /** One, two, four and eight little-endian bytes as decimal; the top bit is magnitude, not sign. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            01                      | 1
            0201                    | 258
            04000001                | 16777220
            0800000000000000        | 8
            ff                      | 255
            ffff                    | 65535
            ffffffff                | 4294967295
            ffffffffffffffff        | 18446744073709551615
            """)
    void decodesLittleEndianUnsigned(String hexBytes, String expected) throws DecoderException {
        assertThat(text(uint.decode(HexFormat.of().parseHex(hexBytes)))).isEqualTo(expected);
    }

    @Test
    void failsOnOtherLengths() {
        assertThatThrownBy(() -> uint.decode(bytes(1, 2, 3))).isInstanceOf(DecoderException.class)
                .isNotInstanceOf(SkipKeyException.class).hasMessageContaining("3 bytes");
        assertThatThrownBy(() -> uint.decode(new byte[0])).isInstanceOf(DecoderException.class);
    }
}
