package dev.ebpfexporter.cli;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** What the OpenTelemetry SDK logs through java.util.logging comes out as our one-line log. */
class JulBridgeTest {
    private static synchronized String logged(Level level, Runnable logging) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Logging.configure(level, LogFormat.LOGFMT, false);
            logging.run();
            return captured.toString(StandardCharsets.UTF_8);
        } finally {
            System.setErr(original);
            Logging.configure(Level.INFO, LogFormat.LOGFMT, true);
        }
    }

    @Test
    void julRecordsAreOneLineInOurFormatWithParametersAndTheCause() {
        Logger jul = Logger.getLogger("io.opentelemetry.sdk.metrics.export.PeriodicMetricReader");
        String log = logged(Level.INFO, () -> {
            jul.log(java.util.logging.Level.WARNING, "Exporter failed after {0} attempts",
                    new Object[]{5});
            jul.log(java.util.logging.Level.SEVERE, "Exporter threw an Exception",
                    new java.net.ConnectException("Connection refused"));
            jul.fine("not at info");
        });
        assertThat(log).isEqualTo("""
                level=warn source=PeriodicMetricReader msg="Exporter failed after 5 attempts"
                level=error source=PeriodicMetricReader msg="Exporter threw an Exception: java.net.ConnectException: Connection refused"
                """);
    }

    @Test
    void debugLetsFineRecordsThrough() {
        String log = logged(Level.DEBUG, () -> Logger.getLogger("x.Y").fine("detail"));
        assertThat(log).isEqualTo("level=debug source=Y msg=detail\n");
    }
}
