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
        return new Layout(this, timestamps);
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

    /** One event as one line in {@code format}; {@code time} first unless timestamps are off. */
    private static final class Layout extends LayoutBase<ILoggingEvent> {
        private final LogFormat format;
        private final boolean timestamps;

        Layout(LogFormat format, boolean timestamps) {
            this.format = format;
            this.timestamps = timestamps;
        }

        @Override
        public String doLayout(ILoggingEvent event) {
            String time = timestamps ? Instant.ofEpochMilli(event.getTimeStamp()).toString() : null;
            String level = event.getLevel().toString().toLowerCase(Locale.ROOT);
            if (format == LOGFMT) {
                return (time != null ? "time=" + time + " " : "") + "level=" + level + " source=" + source(event)
                        + " msg=" + logfmtValue(message(event)) + "\n";
            }
            return "{" + (time != null ? "\"time\":\"" + time + "\"," : "") + "\"level\":\"" + level
                    + "\",\"source\":" + Json.string(source(event)) + ",\"msg\":" + Json.string(message(event)) + "}\n";
        }

        private static String logfmtValue(String value) {
            boolean plain = !value.isEmpty() && value.codePoints()
                    .noneMatch(c -> c <= ' ' || c == '"' || c == '=' || c == '\\' || Json.invisible(c));
            return plain ? value : Json.string(value);
        }
    }
}
