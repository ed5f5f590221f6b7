package dev.ebpfexporter.metrics;

import static dev.ebpfexporter.metrics.Fixtures.DECODERS;
import static dev.ebpfexporter.metrics.Fixtures.counter;
import static dev.ebpfexporter.metrics.Fixtures.label;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebpfexporter.config.CounterConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Label values are valid UTF-8 with control characters escaped, whatever bytes the key held. */
class LabelTextTest {
    @Test
    void aLabelWithoutDecodersOverANumberExportsNoNulBytes() {
        CounterConfig config = counter("c", label("op", 4, 0));
        String value = KeyLabels.of(config, false, DECODERS).decode(new byte[] {5, 0, 0, 0}, 0).labels().get("op");
        assertThat(value).isEqualTo("\\x05\\x00\\x00\\x00");
    }

    @Test
    void escapesControlCharactersAndReplacesMalformedUtf8() {
        assertThat(LabelText.of("plain-ascii_1.0".getBytes(StandardCharsets.US_ASCII))).isEqualTo("plain-ascii_1.0");
        assertThat(LabelText.of("tab\there\nnl\u007f".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("tab\there\nnl\\x7f"); // newline (kstack's frame separator) and tab (kallsyms' "\t[bpf]") stay
        assertThat(LabelText.of("grüße ✓".getBytes(StandardCharsets.UTF_8))).isEqualTo("grüße ✓");
        assertThat(LabelText.of(new byte[] {'a', (byte) 0xff, (byte) 0xc3, 'b'})).isEqualTo("a\ufffd\ufffdb");
        assertThat(LabelText.of("\u0085".getBytes(StandardCharsets.UTF_8))).isEqualTo("\\x85");
        String any = LabelText.of(new byte[] {0, (byte) 0x80, 0x1b, (byte) 0xe2, (byte) 0x82});
        assertThat(StandardCharsets.UTF_8.newEncoder().canEncode(any)).isTrue();
        assertThat(any.chars().noneMatch(c -> c < 0x20 && c != '\n' || c == 0x7f)).isTrue();
    }
}
