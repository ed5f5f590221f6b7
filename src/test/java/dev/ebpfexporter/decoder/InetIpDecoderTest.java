package dev.ebpfexporter.decoder;

import static dev.ebpfexporter.decoder.Fixtures.bytes;
import static dev.ebpfexporter.decoder.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InetIpDecoderTest {
    private static String decode(int... address) {
        return text(new InetIpDecoder().decode(bytes(address)));
    }

    @Test
    void fourBytesAreADottedQuad() {
        assertThat(decode(10, 0, 255, 1)).isEqualTo("10.0.255.1");
    }

    @Test
    void sixteenBytesAreIpv6WithTheLongestZeroRunShortened() {
        assertThat(decode(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1)).isEqualTo("2001:db8:0:1::1");
        assertThat(decode(0x26, 0x06, 0x47, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x68, 0x10, 0x84, 0xe5)).isEqualTo("2606:4700::6810:84e5");
    }

    @Test
    void equalZeroRunsShortenTheFirstAndASingleZeroGroupStays() {
        assertThat(decode(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1)).isEqualTo("2001:db8::1:0:0:1");
        assertThat(decode(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1)).isEqualTo("2001:db8:0:1:1:1:1:1");
    }

    @Test
    void unspecifiedLoopbackAndTrailingZeros() {
        assertThat(decode(new int[16])).isEqualTo("::");
        assertThat(decode(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)).isEqualTo("::1");
        assertThat(decode(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).isEqualTo("fe80::");
    }

    @Test
    void ipv4MappedSixteenBytesAreADottedQuad() {
        assertThat(decode(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 33)).isEqualTo("192.0.2.33");
    }

    @Test
    void otherLengthsAreQuestionMarkAndHexAndNoBytesIsNil() {
        assertThat(decode(1, 2, 0xab)).isEqualTo("?0102ab");
        assertThat(decode()).isEqualTo("<nil>");
    }
}
