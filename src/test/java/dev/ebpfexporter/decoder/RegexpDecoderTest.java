package dev.ebpfexporter.decoder;

import static dev.ebpfexporter.decoder.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebpfexporter.config.ConfigException;
import org.junit.jupiter.api.Test;

class RegexpDecoderTest {
    private static String decode(byte[] in, String... regexps) throws Exception {
        return text(new DecoderRegistry(Fixtures.lookups()).create(Fixtures.regexps(regexps), -1).decode(in));
    }

    @Test
    void keepsTheInputWhenAnAnchoredRegexpMatchesIt() throws Exception {
        assertThat(decode(text("syslog-ng"), "^systemd-journal$", "^syslog-ng$")).isEqualTo("syslog-ng");
    }

    @Test
    void dropsTheKeyWhenNoRegexpMatches() {
        assertThatThrownBy(() -> decode(text("systemd-bananad"), "^systemd-journal$", "^syslog-ng$"))
                .isInstanceOf(SkipKeyException.class);
    }

    @Test
    void keepsOnlyTheMatchedPartOfTheInput() throws Exception {
        assertThat(decode(text("kworker/3:1"), "kworker")).isEqualTo("kworker");
    }

    @Test
    void aSingleCaptureGroupBecomesTheLabel() throws Exception {
        assertThat(decode(text("systemd-bananad"), "^(systemd).*$")).isEqualTo("systemd");
        assertThat(decode(text("nginx: worker"), "^(?P<name>[a-z]+):")).isEqualTo("nginx");
    }

    @Test
    void aGroupThatTookNoPartOrSeveralGroupsFallThroughToTheNextRegexp() throws Exception {
        assertThat(decode(text("abc"), "^abc(d)?$", "b")).isEqualTo("b");
        assertThat(decode(text("abc"), "^(a)(b)c$", "c$")).isEqualTo("c");
        assertThatThrownBy(() -> decode(text("abc"), "^(a)(b)c$")).isInstanceOf(SkipKeyException.class);
    }

    @Test
    void badRegexpFailsAtConfigTimeNamingIt() {
        assertThatThrownBy(() -> decode(text("x"), "ok", "("))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("t.yaml:7: ")
                .hasMessageContaining("bad regexp \"(\": ");
    }

    @Test
    void regexpDecoderWithoutRegexpsFailsAtConfigTime() {
        assertThatThrownBy(() -> decode(text("x"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("regexp");
    }
}
