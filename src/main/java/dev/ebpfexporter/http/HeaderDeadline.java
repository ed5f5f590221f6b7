package dev.ebpfexporter.http;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A deadline for reading a request's line and headers. Jetty's idle timeout restarts with every byte, so a
 * client sending one byte every 20 s holds a connection (and, in numbers, all of them) for as long as it
 * likes. A request is under way on a connection once bytes arrive after the last request reached the
 * handler; once a second every connection is looked at, and one whose request has not reached the handler
 * within the deadline is closed. A connection with no new bytes is left to the idle timeout. (No endpoint
 * takes a request body, so a body that trickles in is cut off the same way.)
 */
final class HeaderDeadline extends AbstractLifeCycle {
    private record Started(long handledBytes, long nanos) {
    }

    private final ServerConnector connector;
    private final long deadlineNanos;
    /** Bytes a connection had read when its last request reached the handler. */
    private final Map<Connection, Long> handledBytes = new ConcurrentHashMap<>();
    private final Map<EndPoint, Started> reading = new ConcurrentHashMap<>();
    private volatile Scheduler.Task task;

    HeaderDeadline(ServerConnector connector, Duration deadline) {
        this.connector = connector;
        this.deadlineNanos = deadline.toNanos();
    }

    /** Called by the handler for every request: its headers are complete. */
    void handled(Request request) {
        Connection connection = request.getConnectionMetaData().getConnection();
        handledBytes.put(connection, connection.getBytesIn());
    }

    @Override
    protected void doStart() {
        schedule();
    }

    @Override
    protected void doStop() {
        Scheduler.Task current = task;
        if (current != null) {
            current.cancel();
        }
        reading.clear();
        handledBytes.clear();
    }

    private void schedule() {
        if (isRunning() || isStarting()) {
            task = connector.getScheduler().schedule(this::sweep, 1, TimeUnit.SECONDS);
        }
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            reading.keySet().removeIf(endPoint -> !endPoint.isOpen());
            handledBytes.keySet().removeIf(connection -> !connection.getEndPoint().isOpen());
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                Connection connection = http(endPoint.getConnection());
                if (connection == null) {
                    continue;
                }
                long handled = handledBytes.getOrDefault(connection, 0L);
                if (connection.getBytesIn() <= handled) {
                    reading.remove(endPoint);
                    continue;
                }
                Started started = reading.compute(endPoint, (e, seen) ->
                        seen != null && seen.handledBytes() == handled ? seen : new Started(handled, now));
                if (now - started.nanos() > deadlineNanos) {
                    reading.remove(endPoint);
                    endPoint.close();
                }
            }
        } finally {
            schedule();
        }
    }

    /** The connection that parses HTTP: under TLS, the one on the decrypted side. */
    private static Connection http(Connection connection) {
        if (connection instanceof SslConnection tls) {
            return tls.getSslEndPoint().getConnection();
        }
        return connection;
    }
}
