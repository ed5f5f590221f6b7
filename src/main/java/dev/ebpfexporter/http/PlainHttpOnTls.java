package dev.ebpfexporter.http;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * First on a TLS port: a connection that starts a TLS handshake goes on to TLS; one that starts
 * with a plain HTTP request line gets the answer Go's HTTPS servers give (and so the reference
 * exporter): {@code 400 Client sent an HTTP request to an HTTPS server.}, then the connection
 * closes. Anything else is closed without a word.
 */
final class PlainHttpOnTls extends DetectorConnectionFactory {
    static final String RESPONSE = "HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n";

    private final Refusals refusals;

    PlainHttpOnTls(SslConnectionFactory tls, Refusals refusals) {
        super(tls);
        this.refusals = refusals;
    }

    @Override
    protected void nextProtocol(Connector connector, EndPoint endPoint, ByteBuffer buffer) {
        String peer = endPoint.getRemoteSocketAddress() instanceof java.net.InetSocketAddress address
                ? address.getHostString() : null;
        if (!looksLikeHttp(buffer)) {
            refusals.refused("connection to the TLS port", peer, "neither a TLS handshake nor an HTTP request: closed");
            endPoint.close();
            return;
        }
        refusals.refused("connection to the TLS port", peer, "plain HTTP: answered 400 Client sent an HTTP request to an HTTPS server");
        endPoint.write(Callback.from(endPoint::close, failure -> endPoint.close()),
                ByteBuffer.wrap(RESPONSE.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Starts like a request line: an upper-case method and a space ({@code GET /}, {@code HEAD }, ...). */
    static boolean looksLikeHttp(ByteBuffer buffer) {
        int letters = 0;
        for (int i = buffer.position(); i < buffer.limit(); i++) {
            byte b = buffer.get(i);
            if (b >= 'A' && b <= 'Z') {
                letters++;
            } else {
                return b == ' ' && letters >= 3;
            }
        }
        return letters > 0; // a request line cut short by the first read
    }
}
