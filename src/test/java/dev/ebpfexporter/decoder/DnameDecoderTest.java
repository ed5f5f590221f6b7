package dev.ebpfexporter.decoder;

import static dev.ebpfexporter.decoder.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DnameDecoderTest {
    private final Decoder dname = new DnameDecoder();

    @Test
    void turnsDnsWireFormatLabelsIntoDottedName() throws DecoderException {
        assertThat(text(dname.decode(text("\3www\7example\3org")))).isEqualTo("www.example.org");
        assertThat(text(dname.decode(text("\3net")))).isEqualTo("net");
    }

    @Test
    void emptyInputIsTheRoot() throws DecoderException {
        assertThat(text(dname.decode(new byte[0]))).isEqualTo(".");
    }

    @Test
    void everyZeroLengthByteBecomesATrailingDot() throws DecoderException {
        assertThat(text(dname.decode(text("\3net\0\0")))).isEqualTo("net..");
    }

    @Test
    void lengthRunningPastTheEndReturnsTheInputUnchanged() throws DecoderException {
        assertThat(text(dname.decode(text("\5net")))).isEqualTo("\5net");
    }
}
