package dev.ebpfexporter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Ports for servers a test starts (exporters, Prometheus, a receiver) that something else must be told. */
public final class Ports {
    private Ports() {
    }

    /**
     * A TCP port free on every address at the moment of asking (free on the wildcard address, so also on
     * loopback); the server that takes it should bind it soon.
     */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
