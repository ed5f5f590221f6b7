package dev.ebpfexporter.decoder;

import dev.ebpfexporter.testing.BpfAvailability;

import static dev.ebpfexporter.decoder.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ErrnoDecoderTest {
    private static String decode(String number) throws DecoderException {
        return text(new ErrnoDecoder().decode(text(number)));
    }

    @Test
    void namesLinuxErrnos() throws DecoderException {
        assertThat(decode("1")).isEqualTo("EPERM");
        assertThat(decode("32")).isEqualTo("EPIPE");
        assertThat(decode("104")).isEqualTo("ECONNRESET");
        assertThat(decode("133")).isEqualTo("EHWPOISON");
    }

    @Test
    void aliasedNumbersUseTheNamesGoPrints() throws DecoderException {
        assertThat(decode("11")).isEqualTo("EAGAIN");
        assertThat(decode("35")).isEqualTo("EDEADLK");
        assertThat(decode("95")).isEqualTo("ENOTSUP");
    }

    @Test
    void zeroGapsAndLargeNumbersAreUnknown() throws DecoderException {
        assertThat(decode("0")).isEqualTo("unknown:0");
        assertThat(decode("41")).isEqualTo("unknown:41");
        assertThat(decode("1000")).isEqualTo("unknown:1000");
    }

    @Test
    void failsOnTextThatIsNotAnUnsignedNumber() {
        assertThatThrownBy(() -> decode("-1")).isInstanceOf(DecoderException.class).isNotInstanceOf(SkipKeyException.class);
        assertThatThrownBy(() -> decode("EPERM")).isInstanceOf(DecoderException.class);
    }

    @Test
    void tableAgreesWithThisMachinesKernelHeaders() throws IOException, DecoderException {
        Path base = Path.of("/usr/include/asm-generic/errno-base.h");
        BpfAvailability.requireThat(Files.exists(base), "kernel headers not installed");
        String headers = Files.readString(base) + Files.readString(Path.of("/usr/include/asm-generic/errno.h"));
        Matcher define = Pattern.compile("#define\\s+(E\\w+)\\s+(\\d+)").matcher(headers);
        int checked = 0;
        while (define.find()) {
            if (!define.group(1).equals("EOPNOTSUPP")) {
                assertThat(decode(define.group(2))).as(define.group(1)).isEqualTo(define.group(1));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(120);
    }
}
