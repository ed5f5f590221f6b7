package dev.ebpfexporter.http;

import java.net.InetSocketAddress;

/**
 * {@code --web.listen-address}: {@code :9435}, {@code host:9435}, {@code [::1]:9435}, or
 * {@code fd://} / {@code fd://N} for the N-th socket passed by systemd socket activation (0 first,
 * i.e. file descriptor 3), as the reference exporter reads it.
 */
public sealed interface ListenAddress {

    /** A TCP address to bind. */
    record Tcp(String host, int port) implements ListenAddress {
        public InetSocketAddress socketAddress() {
            return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** The index-th listening socket passed by systemd ({@code LISTEN_FDS}), counted from 0. */
    record Fd(int index) implements ListenAddress {
        @Override
        public String toString() {
            return "fd://" + index;
        }
    }

    static ListenAddress parse(String text) {
        if (text.startsWith("fd://")) {
            String number = text.substring("fd://".length());
            if (number.isEmpty()) {
                return new Fd(0);
            }
            try {
                int index = Integer.parseInt(number);
                if (index >= 0) {
                    return new Fd(index);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("--web.listen-address: \"" + text + "\": expected fd:// or fd://N with N the index of a socket passed by systemd (0 is the first)");
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--web.listen-address: \"" + text + "\" has no port (expected host:port, :port or fd://)");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("--web.listen-address: IPv6 addresses need brackets, e.g. [::1]:9435");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--web.listen-address: port \"" + text.substring(colon + 1) + "\" is not a number", e);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--web.listen-address: port " + port + " is out of range 0-65535");
        }
        return new Tcp(host, port);
    }
}
