package dev.ebpfexporter.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Sets up logging to stderr from {@code --log.level}, {@code --log.format} and {@code --log.no-timestamps},
 * replacing logback's defaults.
 */
final class Logging {
    private Logging() {
    }

    static Level parseLevel(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "debug" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warn" -> Level.WARN;
            case "error" -> Level.ERROR;
            default -> throw new IllegalArgumentException("--log.level: \"" + text + "\" is not one of debug, info, warn, error");
        };
    }

    static void configure(Level level, LogFormat format, boolean timestamps) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        var layout = format.layout(timestamps);
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(appender);
        // Jetty announces its version and connectors at info; our own startup line says what matters.
        if (level.isGreaterOrEqual(Level.INFO)) {
            context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        }
        // Jetty's parser warns on every bad request (a second Host header, a bad authority), in the client's
        // words: a client could fill the log. The web server logs each refusal reason once instead.
        context.getLogger("org.eclipse.jetty.http.HttpParser").setLevel(Level.ERROR);
        context.getLogger("org.eclipse.jetty.util.HostPort").setLevel(Level.ERROR);
        JulBridge.install(level);
    }
}
