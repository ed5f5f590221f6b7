package dev.ebpfexporter.http;

import dev.ebpfexporter.exposition.ByteBuf;
import dev.ebpfexporter.exposition.Format;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Predicate;

/**
 * The telemetry path: the format picked by {@code Accept}, families selected by {@code name[]}
 * query parameters, gzip when {@code Accept-Encoding} allows it. The body is written whole into a
 * pooled buffer (one per concurrent scrape, kept between scrapes) and sent as one write with its
 * length; the buffer returns to the pool when Jetty has sent it.
 */
final class MetricsHandler {
    /** Buffers kept for later scrapes; more concurrent scrapes get buffers that are dropped after. */
    private static final int POOLED = 2;
    /** A buffer grown past this by a rare huge scrape is not kept. */
    private static final int MAX_KEPT_BYTES = 64 << 20;

    private final MetricsEndpoint endpoint;
    private final ConcurrentLinkedDeque<Scratch> pool = new ConcurrentLinkedDeque<>();

    MetricsHandler(MetricsEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** A scrape's buffers: the body and its gzipped form. */
    private final class Scratch {
        final ByteBuf body = new ByteBuf(64 * 1024);
        final ByteBuf compressed = new ByteBuf(16 * 1024);
        Gzip gzip;

        Gzip gzip() {
            if (gzip == null) {
                gzip = new Gzip(endpoint.gzipLevel());
            }
            return gzip;
        }

        void close() {
            if (gzip != null) {
                gzip.close();
            }
        }
    }

    void handle(Request request, Query query, Response response, Callback callback) {
        Format format = Format.negotiate(String.join(",", request.getHeaders().getValuesList(HttpHeader.ACCEPT)));
        Predicate<String> names = names(query);
        Scratch scratch = pool.pollFirst();
        if (scratch == null) {
            scratch = new Scratch();
        }
        Scratch taken = scratch;
        try {
            taken.body.clear();
            endpoint.exposition().write(format, names, taken.body);
            ByteBuf payload = taken.body;
            if (endpoint.gzipLevel() > 0 && acceptsGzip(request)) {
                taken.gzip().compress(taken.body, taken.compressed);
                payload = taken.compressed;
                response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
            }
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, format.contentType());
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, payload.size());
            if ("HEAD".equals(request.getMethod())) {
                release(taken);
                response.write(true, null, callback);
                return;
            }
            response.write(true, ByteBuffer.wrap(payload.array(), 0, payload.size()), Callback.from(() -> {
                release(taken);
                callback.succeeded();
            }, failure -> {
                release(taken);
                callback.failed(failure);
            }));
        } catch (RuntimeException | Error e) {
            release(taken);
            throw e;
        }
    }

    private void release(Scratch scratch) {
        if (pool.size() < POOLED && scratch.body.capacity() <= MAX_KEPT_BYTES
                && scratch.compressed.capacity() <= MAX_KEPT_BYTES) {
            pool.addFirst(scratch);
        } else {
            scratch.close();
        }
    }

    private static boolean acceptsGzip(Request request) {
        for (String value : request.getHeaders().getValuesList(HttpHeader.ACCEPT_ENCODING)) {
            for (String coding : value.split(",")) {
                String[] parts = coding.trim().split(";");
                if (parts[0].trim().equalsIgnoreCase("gzip") && !(parts.length > 1 && parts[1].trim().matches("q=0(\\.0*)?"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code name[]=a&name[]=b}: only those families (also matched without or with {@code _total}). */
    static Predicate<String> names(Query query) {
        Set<String> selected = new HashSet<>();
        for (Query.Parameter parameter : query.parameters()) {
            if (parameter.name().equals("name[]")) {
                selected.add(parameter.value());
            }
        }
        if (selected.isEmpty()) {
            return name -> true;
        }
        return name -> selected.contains(name)
                || (name.endsWith("_total") && selected.contains(name.substring(0, name.length() - "_total".length())))
                || selected.contains(name + "_total");
    }
}
