package dev.ebpfexporter.decoder;

import static dev.ebpfexporter.decoder.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DnameDecoderTest {
    private final Decoder dname = new DnameDecoder();

    /** DNS wire format, each label after its length byte: {@code \3} is the byte 3 (Java's octal escape). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
            labels become a dotted name                     | \\3www\\7example\\3org | www.example.org
            one label                                       | \\3net               | net
            empty input is the root                         | ''                  | .
            every zero-length byte becomes a trailing dot   | \\3net\\0\\0           | net..
            a length running past the end returns the input | \\5net               | \\5net
            """)
    void decodesWireFormatNames(String what, String wire, String name) throws DecoderException {
        assertThat(text(dname.decode(text(wire.translateEscapes())))).isEqualTo(name.translateEscapes());
    }
}
