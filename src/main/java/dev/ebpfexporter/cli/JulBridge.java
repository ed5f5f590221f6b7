package dev.ebpfexporter.cli;

import ch.qos.logback.classic.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * Sends {@code java.util.logging} records, which is what the OpenTelemetry SDK logs through (a push
 * or an export that failed), to our log, so that they are one line in {@code --log.format} like
 * every other line instead of the JDK's two-line console format.
 */
final class JulBridge extends Handler {
    private final Formatter formatter = new SimpleFormatter();

    private JulBridge() {
    }

    /** Replaces the root handlers; records below {@code level} are not even made. */
    static void install(Level level) {
        java.util.logging.Logger root = LogManager.getLogManager().getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        root.addHandler(new JulBridge());
        root.setLevel(julLevel(level));
    }

    static java.util.logging.Level julLevel(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return java.util.logging.Level.SEVERE;
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return java.util.logging.Level.WARNING;
        }
        return level.isGreaterOrEqual(Level.INFO) ? java.util.logging.Level.INFO : java.util.logging.Level.FINE;
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null) {
            return;
        }
        Logger log = LoggerFactory.getLogger(record.getLoggerName() == null ? "jul" : record.getLoggerName());
        String message = formatter.formatMessage(record);
        Throwable thrown = record.getThrown();
        int value = record.getLevel().intValue();
        if (value >= java.util.logging.Level.SEVERE.intValue()) {
            log.error(message, thrown);
        } else if (value >= java.util.logging.Level.WARNING.intValue()) {
            log.warn(message, thrown);
        } else if (value >= java.util.logging.Level.INFO.intValue()) {
            log.info(message, thrown);
        } else {
            log.debug(message, thrown);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
