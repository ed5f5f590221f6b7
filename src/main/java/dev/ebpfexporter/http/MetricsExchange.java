package dev.ebpfexporter.http;

import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Enumeration;

/**
 * A Jetty request/response seen through client_java's exchange interface, so its scrape handler
 * does content negotiation (text 0.0.4, OpenMetrics, protobuf by Accept), {@code name[]} filters and
 * gzip exactly as in its own servers.
 */
final class MetricsExchange implements PrometheusHttpExchange {
    private static final int BODY_BUFFER_BYTES = 32 * 1024;

    private final Request request;
    private final Response response;
    private final String path;
    private OutputStream body;

    MetricsExchange(Request request, Response response, String path) {
        this.request = request;
        this.response = response;
        this.path = path;
    }

    @Override
    public PrometheusHttpRequest getRequest() {
        return new PrometheusHttpRequest() {
            @Override
            public String getQueryString() {
                return request.getHttpURI().getQuery();
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return Collections.enumeration(request.getHeaders().getValuesList(name));
            }

            @Override
            public String getMethod() {
                return request.getMethod();
            }

            @Override
            public String getRequestPath() {
                return path;
            }
        };
    }

    @Override
    public PrometheusHttpResponse getResponse() {
        return new PrometheusHttpResponse() {
            @Override
            public void setHeader(String name, String value) {
                response.getHeaders().put(name, value);
            }

            @Override
            public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
                response.setStatus(statusCode);
                if (contentLength > 0) {
                    response.getHeaders().put("Content-Length", contentLength);
                }
                // Buffered: with gzip, client_java's GZIPOutputStream writes 512-byte pieces, and
                // Jetty's sink stream sends each write as its own chunk (a syscall each). An
                // identity body arrives as one large write, which passes the buffer without a copy.
                body = new BufferedOutputStream(Content.Sink.asOutputStream(response), BODY_BUFFER_BYTES);
                return body;
            }
        };
    }

    @Override
    public void handleException(IOException e) throws IOException {
        throw e;
    }

    @Override
    public void handleException(RuntimeException e) {
        throw e;
    }

    @Override
    public void close() {
        try {
            if (body == null) {
                body = Content.Sink.asOutputStream(response);
            }
            body.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
