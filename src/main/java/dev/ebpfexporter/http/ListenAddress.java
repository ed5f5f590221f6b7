package dev.ebpfexporter.http;

import java.net.InetSocketAddress;

/** {@code --web.listen-address}: {@code :9435}, {@code host:9435} or {@code [::1]:9435}. */
public record ListenAddress(String host, int port) {

    public static ListenAddress parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--web.listen-address: \"" + text + "\" has no port (expected host:port or :port)");
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
            throw new IllegalArgumentException("--web.listen-address: port \"" + text.substring(colon + 1) + "\" is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--web.listen-address: port " + port + " is out of range 0-65535");
        }
        return new ListenAddress(host, port);
    }

    public InetSocketAddress socketAddress() {
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }
}
