package dev.ebpfexporter.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The exporter's HTTP endpoints on the JDK's server: the telemetry path (content negotiation and
 * gzip by client_java), a landing page, {@code /-/healthy} and {@code /-/ready}. Requests run on a
 * small pool, so concurrent scrapes proceed in parallel.
 */
public final class WebServer implements AutoCloseable {
    private static final int THREADS = 8;

    private final HttpServer server;
    private final ExecutorService executor;

    private WebServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param landingPage the HTML of {@code /}, built per request (it lists live state)
     * @param ready       whether startup finished (configs loaded)
     */
    public static WebServer start(InetSocketAddress address, String telemetryPath, PrometheusRegistry registry,
                                  Supplier<String> landingPage, BooleanSupplier ready) throws IOException {
        HttpServer server = HttpServer.create(address, 64);
        server.createContext(telemetryPath, new MetricsHandler(PrometheusProperties.get(), registry));
        server.createContext("/-/healthy", exchange -> text(exchange, 200, "Healthy\n"));
        server.createContext("/-/ready", exchange -> {
            if (ready.getAsBoolean()) {
                text(exchange, 200, "Ready\n");
            } else {
                text(exchange, 503, "Not ready\n");
            }
        });
        server.createContext("/", new LandingHandler(landingPage));
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, Thread.ofPlatform().daemon().name("http-", 0).factory());
        server.setExecutor(executor);
        server.start();
        return new WebServer(server, executor);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    static void text(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", body);
    }

    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** {@code /} exactly serves the landing page; any other unknown path is a 404. */
    private record LandingHandler(Supplier<String> page) implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) throws IOException {
            if (!exchange.getRequestURI().getPath().equals("/")) {
                text(exchange, 404, "404 page not found\n");
                return;
            }
            send(exchange, 200, "text/html; charset=utf-8", page.get());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
