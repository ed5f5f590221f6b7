package dev.ebpfexporter.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * A plain GET with the JDK's HttpURLConnection (java.base, so the patched test module needs no
 * extra reads); connections are kept alive and reused between calls, as a Prometheus server does.
 */
final class HttpGet {
    private HttpGet() {
    }

    record Response(int status, byte[] body) {
    }

    static Response get(URI uri) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(30_000);
        int status = connection.getResponseCode();
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            return new Response(status, in == null ? new byte[0] : in.readAllBytes());
        }
    }
}
