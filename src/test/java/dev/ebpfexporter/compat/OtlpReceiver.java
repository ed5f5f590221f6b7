package dev.ebpfexporter.compat;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal OTLP/HTTP trace receiver on loopback: accepts protobuf {@code ExportTraceServiceRequest}s
 * on {@code /v1/traces} and keeps the spans, read with a small protobuf wire-format walker (only
 * the fields the tests look at).
 */
final class OtlpReceiver implements AutoCloseable {
    record ReceivedSpan(String scope, String name, String traceId, String spanId, String parentSpanId,
                        long startNanos, long endNanos, Map<String, String> attributes) {
    }

    private final HttpServer server;
    final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/traces", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            try {
                parseRequest(body);
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, 0);
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(400, 0);
            }
            exchange.close();
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void parseRequest(byte[] body) {
        for (Field resourceSpans : fields(body)) {             // 1: ResourceSpans
            if (resourceSpans.number != 1) continue;
            for (Field scopeSpans : fields(resourceSpans.bytes)) { // 2: ScopeSpans
                if (scopeSpans.number != 2) continue;
                String scope = "";
                List<byte[]> rawSpans = new ArrayList<>();
                for (Field f : fields(scopeSpans.bytes)) {
                    if (f.number == 1) {                              // InstrumentationScope.name = 1
                        for (Field s : fields(f.bytes)) if (s.number == 1) scope = s.text();
                    } else if (f.number == 2) {
                        rawSpans.add(f.bytes);
                    }
                }
                for (byte[] raw : rawSpans) {
                    spans.add(span(scope, raw));
                }
            }
        }
    }

    private static ReceivedSpan span(String scope, byte[] raw) {
        String name = "";
        String traceId = "";
        String spanId = "";
        String parent = "";
        long start = 0;
        long end = 0;
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Field f : fields(raw)) {
            switch (f.number) {
                case 1 -> traceId = HexFormat.of().formatHex(f.bytes);
                case 2 -> spanId = HexFormat.of().formatHex(f.bytes);
                case 4 -> parent = HexFormat.of().formatHex(f.bytes);
                case 5 -> name = f.text();
                case 7 -> start = f.fixed;
                case 8 -> end = f.fixed;
                case 9 -> {
                    String key = "";
                    String value = "";
                    for (Field kv : fields(f.bytes)) {
                        if (kv.number == 1) key = kv.text();
                        if (kv.number == 2) for (Field any : fields(kv.bytes)) if (any.number == 1) value = any.text();
                    }
                    attributes.put(key, value);
                }
                default -> { }
            }
        }
        return new ReceivedSpan(scope, name, traceId, spanId, parent, start, end, attributes);
    }

    private record Field(int number, byte[] bytes, long fixed) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static List<Field> fields(byte[] data) {
        List<Field> out = new ArrayList<>();
        int[] at = {0};
        while (at[0] < data.length) {
            long tag = varint(data, at);
            int number = (int) (tag >>> 3);
            switch ((int) (tag & 7)) {
                case 0 -> out.add(new Field(number, new byte[0], varint(data, at)));
                case 1 -> {
                    long v = ByteBuffer.wrap(data, at[0], 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
                    at[0] += 8;
                    out.add(new Field(number, new byte[0], v));
                }
                case 2 -> {
                    int length = (int) varint(data, at);
                    byte[] bytes = java.util.Arrays.copyOfRange(data, at[0], at[0] + length);
                    at[0] += length;
                    out.add(new Field(number, bytes, 0));
                }
                case 5 -> at[0] += 4;
                default -> throw new IllegalArgumentException("wire type " + (tag & 7));
            }
        }
        return out;
    }

    private static long varint(byte[] data, int[] at) {
        long result = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = data[at[0]++];
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
