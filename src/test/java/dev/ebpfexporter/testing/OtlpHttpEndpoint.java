package dev.ebpfexporter.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One OTLP/HTTP path on loopback, what the metrics and trace receivers share: each request's body is
 * decoded with the official protobuf class of its signal and handed on with the request's headers
 * (lower-case names), and answered with the signal's empty response; a body that does not decode is
 * answered 400 and counted.
 */
public final class OtlpHttpEndpoint implements AutoCloseable {
    /** A protobuf message's {@code parseFrom(byte[])}. */
    @FunctionalInterface
    public interface Decoder<T> {
        T parse(byte[] body) throws IOException;
    }

    private final HttpServer server;
    private volatile int rejected;

    /**
     * @param path e.g. {@code /v1/metrics}
     * @param response the serialized empty {@code Export...ServiceResponse}
     * @param received gets each decoded request and its headers
     */
    public <T> OtlpHttpEndpoint(String path, Decoder<T> decoder, byte[] response,
                                BiConsumer<T, Map<String, String>> received) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(path, exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            try {
                T request = decoder.parse(body);
                Map<String, String> headers = new LinkedHashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT),
                        String.join(",", v)));
                received.accept(request, Map.copyOf(headers));
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, response.length);
                exchange.getResponseBody().write(response);
            } catch (IOException | RuntimeException e) {
                rejected++;
                exchange.sendResponseHeaders(400, -1);
            }
            exchange.close();
        });
        server.start();
    }

    /** {@code http://127.0.0.1:PORT}, for {@code OTEL_EXPORTER_OTLP_ENDPOINT} (the SDK adds the signal's path). */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests whose body did not decode. */
    public int rejected() {
        return rejected;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
