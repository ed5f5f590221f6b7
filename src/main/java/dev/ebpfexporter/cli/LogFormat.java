package dev.ebpfexporter.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.LayoutBase;
import dev.ebpfexporter.json.Json;

import java.time.Instant;
import java.util.Locale;

/** {@code --log.format}: one line per event, as logfmt ({@code key=value}) or JSON, like Prometheus exporters. */
public enum LogFormat {
    LOGFMT, JSON;

    public static LogFormat parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "logfmt" -> LOGFMT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("--log.format: \"" + text + "\" is not one of logfmt, json");
        };
    }

    /** @param timestamps false for {@code --log.no-timestamps}: lines without the {@code time} field */
    LayoutBase<ILoggingEvent> layout(boolean timestamps) {
        return this == LOGFMT ? new LogfmtLayout(timestamps) : new JsonLayout(timestamps);
    }

    private static String source(ILoggingEvent event) {
        String logger = event.getLoggerName();
        return logger.substring(logger.lastIndexOf('.') + 1);
    }

    private static String message(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        IThrowableProxy thrown = event.getThrowableProxy();
        return thrown == null ? message : message + ": " + thrown.getClassName() + ": " + thrown.getMessage();
    }

    private static final class LogfmtLayout extends LayoutBase<ILoggingEvent> {
        private final boolean timestamps;

        LogfmtLayout(boolean timestamps) {
            this.timestamps = timestamps;
        }

        @Override
        public String doLayout(ILoggingEvent event) {
            return (timestamps ? "time=" + Instant.ofEpochMilli(event.getTimeStamp()) + " " : "")
                    + "level=" + event.getLevel().toString().toLowerCase(Locale.ROOT)
                    + " source=" + source(event)
                    + " msg=" + quote(message(event)) + "\n";
        }

        private static String quote(String value) {
            boolean plain = !value.isEmpty() && value.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '=' || c == '\\');
            return plain ? value : Json.string(value);
        }
    }

    private static final class JsonLayout extends LayoutBase<ILoggingEvent> {
        private final boolean timestamps;

        JsonLayout(boolean timestamps) {
            this.timestamps = timestamps;
        }

        @Override
        public String doLayout(ILoggingEvent event) {
            return "{" + (timestamps ? "\"time\":\"" + Instant.ofEpochMilli(event.getTimeStamp()) + "\"," : "") + "\"level\":\""
                    + event.getLevel().toString().toLowerCase(Locale.ROOT) + "\",\"source\":" + Json.string(source(event))
                    + ",\"msg\":" + Json.string(message(event)) + "}\n";
        }
    }
}
