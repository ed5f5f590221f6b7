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
}
