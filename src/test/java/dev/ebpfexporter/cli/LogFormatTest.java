package dev.ebpfexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.LoggingEvent;

import org.junit.jupiter.api.Test;

class LogFormatTest {
    private static LoggingEvent event(String message) {
        LoggingEvent event = new LoggingEvent();
        event.setLoggerName("dev.ebpfexporter.cli.Main");
        event.setLevel(Level.WARN);
        event.setMessage(message);
        event.setTimeStamp(0);
        return event;
    }

    @Test
    void oneLinePerEventInEitherFormat() {
        // logfmt quotes only values that need it
        assertThat(LogFormat.LOGFMT.layout(true).doLayout(event("ready")))
                .isEqualTo("time=1970-01-01T00:00:00Z level=warn source=Main msg=ready\n");
        assertThat(LogFormat.LOGFMT.layout(false).doLayout(event("port \"x\" = busy\n")))
                .isEqualTo("level=warn source=Main msg=\"port \\\"x\\\" = busy\\n\"\n");
        // JSON: one object per line
        assertThat(LogFormat.JSON.layout(true).doLayout(event("a\tb")))
                .isEqualTo("{\"time\":\"1970-01-01T00:00:00Z\",\"level\":\"warn\",\"source\":\"Main\",\"msg\":\"a\\tb\"}\n");
        assertThat(LogFormat.JSON.layout(false).doLayout(event("ready")))
                .isEqualTo("{\"level\":\"warn\",\"source\":\"Main\",\"msg\":\"ready\"}\n");
    }

    @Test
    void invisibleCharactersFromAConfigAreEscapedLikeControlCharacters() {
        // An unknown key with U+202E (right-to-left override) would print reversed text after it on a terminal.
        String message = "x.yaml:10: metrics.counters[0].bogus\u202ekey: unknown key \"bogus\u202ekey\"";
        String escaped = "x.yaml:10: metrics.counters[0].bogus\\u202ekey: unknown key \\\"bogus\\u202ekey\\\"";
        assertThat(LogFormat.LOGFMT.layout(false).doLayout(event(message)))
                .isEqualTo("level=warn source=Main msg=\"" + escaped + "\"\n");
        assertThat(LogFormat.JSON.layout(false).doLayout(event(message)))
                .isEqualTo("{\"level\":\"warn\",\"source\":\"Main\",\"msg\":\"" + escaped + "\"}\n");
        // a value without spaces is quoted once it holds one
        assertThat(LogFormat.LOGFMT.layout(false).doLayout(event("name\u2066")))
                .isEqualTo("level=warn source=Main msg=\"name\\u2066\"\n");
        // Unicode category Cf, controls (DEL, C1), separators, lone surrogates; a supplementary Cf as both halves
        String[][] cases = {{"\u202e", "\\u202e"}, {"\u2067", "\\u2067"}, {"\u200b", "\\u200b"}, {"\ufeff", "\\ufeff"},
                {"\u00ad", "\\u00ad"}, {"\u061c", "\\u061c"}, {"\u007f", "\\u007f"}, {"\u0085", "\\u0085"},
                {"\u2028", "\\u2028"}, {"\u2029", "\\u2029"}, {"\ud800", "\\ud800"}, {"\udb40\udc41", "\\udb40\\udc41"},
                {"\u0000", "\\u0000"}, {"é€😀", "é€😀"}};
        for (String[] c : cases) {
            assertThat(LogFormat.LOGFMT.layout(false).doLayout(event("a " + c[0])))
                    .as("U+%04X", (int) c[0].charAt(0)).isEqualTo("level=warn source=Main msg=\"a " + c[1] + "\"\n");
        }
    }
}
