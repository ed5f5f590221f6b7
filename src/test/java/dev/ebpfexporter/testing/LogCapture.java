package dev.ebpfexporter.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;

/** What some classes log while it is open: logback's list appender on each class's logger, detached on close. */
public final class LogCapture implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final List<Logger> loggers;

    private LogCapture(List<Logger> loggers) {
        this.loggers = loggers;
        appender.start();
        loggers.forEach(logger -> logger.addAppender(appender));
    }

    /** Starts capturing what the loggers of {@code classes} log. */
    public static LogCapture of(Class<?>... classes) {
        return new LogCapture(Arrays.stream(classes).map(c -> (Logger) LoggerFactory.getLogger(c)).toList());
    }

    /** The events so far, in order (a copy: logging may go on meanwhile). */
    public List<ILoggingEvent> events() {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    /** The events' formatted messages so far, in order. */
    public List<String> messages() {
        return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        loggers.forEach(logger -> logger.detachAppender(appender));
    }
}
