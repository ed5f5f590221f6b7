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
    void aCatastrophicBacktrackingPatternRunsInLinearTime() throws Exception {
        // (a+)+$ backtracks exponentially in a backtracking engine on a's followed by a non-matching byte.
        byte[] input = text("a".repeat(100_000) + "!");
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () ->
                assertThatThrownBy(() -> decode(input, "^(a+)+$")).isInstanceOf(SkipKeyException.class));
    }

    @Test
    void goSyntaxNamedGroupsAndGoOnlyClassesWork() throws Exception {
        assertThat(decode(text("nginx: worker"), "^(?<name>[a-z]+):")).isEqualTo("nginx");
        assertThat(decode(text("pid 42"), "([[:digit:]]+)")).isEqualTo("42");
        assertThat(decode(text("x\\Q"), "\\Q\\Q\\E")).isEqualTo("\\Q");
    }

    @Test
    void javaOnlySyntaxIsRefusedAsGoRefusesIt() {
        // Go's RE2 has no backreferences or lookaround
        assertThatThrownBy(() -> decode(text("aa"), "(a)\\1")).isInstanceOf(ConfigException.class)
                .hasMessage("t.yaml:7: decoder \"regexp\": bad regexp \"(a)\\1\": invalid escape sequence");
        assertThatThrownBy(() -> decode(text("ab"), "a(?=b)")).isInstanceOf(ConfigException.class);
    }

    @Test
    void aRegexpLongerThanTheLimitIsRefusedAtOnce() {
        // compiling a 200 000-character literal takes tens of seconds: refused before compiling
        String huge = "a".repeat(200_000);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () ->
                assertThatThrownBy(() -> decode(text("a"), huge)).isInstanceOf(ConfigException.class)
                        .hasMessage("t.yaml:7: decoder \"regexp\": bad regexp \"" + "a".repeat(60)
                                + "...\": longer than 1024 characters (200000)"));
        assertThatThrownBy(() -> decode(text("a"), "a".repeat(Regexps.MAX_LENGTH))).isInstanceOf(SkipKeyException.class);
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
