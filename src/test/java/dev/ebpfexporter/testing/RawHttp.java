package dev.ebpfexporter.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests written byte for byte to a socket, for what HTTP clients refuse to send (a {@code %zz} in a
 * query, a header with a control character, a bare LF): the answer's status and text.
 */
public final class RawHttp {
    private static final Pattern STATUS = Pattern.compile("^HTTP/\\d\\.\\d (\\d{3})");

    /** The server's answer: its status (-1 when the connection closed without one) and its text. */
    public record Answer(int status, String text) {
    }

    private RawHttp() {
    }

    /** Sends {@code request} to 127.0.0.1:{@code port} and reads the answer until the server closes or 10 s pass. */
    public static Answer send(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(request);
                socket.shutdownOutput();
            } catch (SocketException closedWhileWriting) {
                // the server may answer and close before reading everything (a header too large): read what it said
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n >= 0 && answer.size() < (1 << 20); n = in.read(buffer)) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketException reset) {
                // a reset after the answer: keep what arrived
            }
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            Matcher status = STATUS.matcher(text);
            return new Answer(status.find() ? Integer.parseInt(status.group(1)) : -1, text);
        }
    }

    public static Answer send(int port, String request) throws IOException {
        return send(port, request.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code GET target HTTP/1.1} with a Host header, closing after the answer. */
    public static Answer get(int port, String target) throws IOException {
        return send(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }
}
