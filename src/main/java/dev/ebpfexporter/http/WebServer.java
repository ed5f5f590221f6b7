package dev.ebpfexporter.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.function.Supplier;

/**
 * The exporter's HTTP endpoints on Jetty (core handlers, no servlets): the telemetry path (our
 * exposition writer, see {@link MetricsHandler}), a landing page, {@code /-/healthy}, {@code /-/ready} and,
 * with {@code --debug}, {@code /maps}. Jetty rather than the JDK's server because it can serve a
 * socket inherited from systemd and takes an {@link javax.net.ssl.SSLContext} built from PEM files.
 * The web config adds TLS, basic auth, response headers and a rate limit in front of every path.
 */
public final class WebServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    /**
     * What the server serves; {@code pages} adds paths (the live view's), {@code reload} serves
     * {@code POST /-/reload} (empty: the lifecycle API is off, 403). {@code notReady}: why the exporter is not
     * ready, one line each (the configs that failed to load); empty when it is.
     */
    public record Endpoints(String telemetryPath, MetricsEndpoint metrics, Supplier<String> landingPage,
                            Supplier<List<String>> notReady, Optional<MapsJson> maps, Optional<Pages> pages, Optional<Reload> reload) {
        public Endpoints(String telemetryPath, MetricsEndpoint metrics, Supplier<String> landingPage,
                         Supplier<List<String>> notReady, Optional<MapsJson> maps, Optional<Pages> pages) {
            this(telemetryPath, metrics, landingPage, notReady, maps, pages, Optional.empty());
        }

        public Endpoints(String telemetryPath, MetricsEndpoint metrics, Supplier<String> landingPage,
                         Supplier<List<String>> notReady, Optional<MapsJson> maps) {
            this(telemetryPath, metrics, landingPage, notReady, maps, Optional.empty());
        }
    }

    /**
     * Protections against slow or hostile clients. {@code headerReadTimeout} bounds the time from a request's
     * first byte to the end of its headers, which the idle timeout (restarted by every byte) does not.
     */
    public record Limits(Duration idleTimeout, int maxRequestHeaderBytes, int maxThreads, int maxConnections,
                         Duration headerReadTimeout) {
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(30), 16 * 1024, 16, 256, Duration.ofSeconds(10));
    }

    private WebServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Binds {@code address} and serves. */
    public static WebServer start(InetSocketAddress address, WebConfig web, Endpoints endpoints, Limits limits)
            throws IOException, WebConfigException {
        return start(address, null, web, endpoints, limits);
    }

    /** Serves on a listening socket someone else opened (systemd socket activation). */
    public static WebServer start(ServerSocketChannel inherited, WebConfig web, Endpoints endpoints, Limits limits)
            throws IOException, WebConfigException {
        return start(null, inherited, web, endpoints, limits);
    }

    private static WebServer start(InetSocketAddress address, ServerSocketChannel inherited, WebConfig web,
                                   Endpoints endpoints, Limits limits) throws IOException, WebConfigException {
        QueuedThreadPool threads = new QueuedThreadPool(limits.maxThreads(), 2);
        threads.setName("http");
        threads.setDaemon(true);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(limits.maxRequestHeaderBytes());
        http.setIdleTimeout(limits.idleTimeout().toMillis());
        Refusals refusals = new Refusals();
        ConnectionFactory[] factories;
        if (web.tls().isPresent()) {
            // Jetty would add a customizer that answers 400 when the Host is not a name in the certificate
            // (a scrape of https://10.0.0.7:9435 with a certificate for node.example). Go's servers, and so the
            // reference, serve any Host and any SNI name: Prometheus scrapes by address, checking the
            // certificate itself (tls_config.server_name, insecure_skip_verify).
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            secure.setSniRequired(false);
            http.addCustomizer(secure);
            SslConnectionFactory tls = new SslConnectionFactory(TlsContexts.factory(web.tls().get()), "http/1.1");
            factories = new ConnectionFactory[]{new PlainHttpOnTls(tls, refusals), tls, new HttpConnectionFactory(http)};
        } else {
            factories = new ConnectionFactory[]{new HttpConnectionFactory(http)};
        }
        ServerConnector connector = new ServerConnector(server, 1, 1, factories);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        connector.setAcceptQueueSize(64);
        if (inherited != null) {
            connector.open(inherited);
        } else {
            connector.setHost(address.getAddress().isAnyLocalAddress() ? null : address.getHostString());
            connector.setPort(address.getPort());
        }
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        if (web.tls().isPresent()) {
            connector.addBean(new SslHandshakeListener() {
                @Override
                public void handshakeFailed(Event event, Throwable failure) {
                    refusals.refused("TLS handshake", event.getSSLEngine().getPeerHost(), reason(failure));
                }
            });
        }
        HeaderDeadline deadline = new HeaderDeadline(connector, limits.headerReadTimeout());
        server.addBean(deadline);
        server.setHandler(new Router(endpoints, web, deadline));
        server.setErrorHandler((request, response, callback) -> {
            // Jetty's own errors (400 bad URI, 431 header too large, ...): plain text, no stack traces.
            int refused = response.getStatus() > 0 ? response.getStatus() : 500;
            int status = refused;
            String body = status + " " + HttpStatus.getMessage(status);
            if (status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
                // A request line without a version or with one other than HTTP/1.x: the client's mistake, and a
                // 5xx would count against the server in whatever watches its error rate.
                status = HttpStatus.BAD_REQUEST_400;
                body = "400 Bad Request: unsupported HTTP version (HTTP/1.0 and HTTP/1.1 are served)";
            }
            refusals.refused("request", peer(request), errorReason(request, refused) + " (answered " + status + ")");
            text(response, callback, status, body + "\n");
            return true;
        });
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly(server);
            throw e;
        } catch (Exception e) {
            stopQuietly(server);
            throw new IOException(e.getMessage(), e);
        }
        return new WebServer(server, connector);
    }

    /**
     * A failure's messages down its causes ({@code Unexpected exception: (unknown_ca) Received fatal alert:
     * unknown_ca}), or its class when none has one.
     */
    static String reason(Throwable failure) {
        StringBuilder text = new StringBuilder();
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < 4; cause = cause.getCause(), depth++) {
            String message = cause.getMessage();
            if (message != null && !message.isBlank() && text.indexOf(message) < 0) {
                text.append(text.isEmpty() ? "" : ": ").append(message);
            }
        }
        return text.isEmpty() ? failure.getClass().getSimpleName() : text.toString();
    }

    /** Why Jetty refused a request, without its status ({@code Bad Authority}, {@code Illegal character CNTL=0x0}). */
    private static String errorReason(Request request, int status) {
        String reason = request.getAttribute(ErrorHandler.ERROR_EXCEPTION) instanceof Throwable failure
                ? reason(failure)
                : request.getAttribute(ErrorHandler.ERROR_MESSAGE) instanceof String message ? message : "";
        // Jetty's messages start with the status and its text: "400: Bad Request: Bad URI", "431: null".
        reason = reason.replaceFirst("^\\d{3}: ", "").replaceFirst("^(null|" + Pattern.quote(HttpStatus.getMessage(status)) + ")(: )?", "");
        return reason.isEmpty() ? HttpStatus.getMessage(status) : reason;
    }

    private static String peer(Request request) {
        return request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress address
                ? address.getHostString() : null;
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // already failing; the caller reports the first error
        }
    }

    /** The port the server listens on. */
    public int port() {
        return address().getPort();
    }

    /** The bound address (the inherited socket's, under socket activation). */
    public InetSocketAddress address() {
        Object transport = connector.getTransport();
        if (transport instanceof ServerSocketChannel channel) {
            try {
                return (InetSocketAddress) channel.getLocalAddress();
            } catch (IOException e) {
                // fall through to the configured port
            }
        }
        return new InetSocketAddress(connector.getHost() == null ? "0.0.0.0" : connector.getHost(),
                connector.getLocalPort());
    }

    static void text(Response response, Callback callback, int status, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, body, callback);
    }

    static void send(Request request, Response response, Callback callback, int status, String contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        if ("HEAD".equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            response.write(true, null, callback);
            return;
        }
        Content.Sink.write(response, true, body, callback);
    }

    /** Web config checks first (rate limit, basic auth, headers), then the path. */
    private static final class Router extends Handler.Abstract {
        private final Endpoints endpoints;
        private final Map<String, String> headers;
        private final Optional<BasicAuth> auth;
        private final Optional<RateLimiter> rateLimiter;
        private final MetricsHandler scrape;
        private final HeaderDeadline deadline;

        Router(Endpoints endpoints, WebConfig web, HeaderDeadline deadline) {
            this.endpoints = endpoints;
            this.deadline = deadline;
            this.headers = web.headers();
            this.auth = web.requiresAuth() ? Optional.of(new BasicAuth(web.basicAuthUsers())) : Optional.empty();
            this.rateLimiter = web.rateLimit().map(RateLimiter::new);
            this.scrape = new MetricsHandler(endpoints.metrics());
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            deadline.handled(request);
            headers.forEach((name, value) -> response.getHeaders().put(name, value));
            if (rateLimiter.isPresent() && !rateLimiter.get().tryAcquire()) {
                text(response, callback, 429, "Too Many Requests\n");
                return true;
            }
            if (auth.isPresent()) {
                switch (auth.get().verdict(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                    case ALLOWED -> {
                    }
                    case DENIED -> {
                        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic");
                        text(response, callback, 401, "Unauthorized\n");
                        return true;
                    }
                    case BUSY -> {
                        // Too many password checks at once (a flood of wrong ones): answer now, keep the thread.
                        response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                        text(response, callback, 429, "Too Many Requests: too many password checks in progress\n");
                        return true;
                    }
                }
            }
            String path = Request.getPathInContext(request);
            Query query;
            try {
                query = Query.parse(request.getHttpURI().getQuery());
            } catch (IllegalArgumentException e) {
                // The client's malformed query: its one-line reason is the answer, nothing of ours failed.
                text(response, callback, 400, "400 Bad Request: " + e.getMessage() + "\n");
                return true;
            }
            if (path.equals(endpoints.telemetryPath())) {
                scrape.handle(request, query, response, callback);
                return true;
            }
            switch (path) {
                case "/-/healthy" -> send(request, response, callback, 200, "text/plain; charset=utf-8", "Healthy\n");
                case "/-/ready" -> {
                    List<String> why = endpoints.notReady().get();
                    if (why.isEmpty()) {
                        send(request, response, callback, 200, "text/plain; charset=utf-8", "Ready\n");
                    } else {
                        send(request, response, callback, 503, "text/plain; charset=utf-8",
                                "Not ready: " + String.join("\n", why) + "\n");
                    }
                }
                case "/" -> send(request, response, callback, 200, "text/html; charset=utf-8", endpoints.landingPage().get());
                case "/-/reload" -> reload(request, response, callback);
                case "/maps" -> {
                    if (endpoints.maps().isEmpty()) {
                        text(response, callback, 404, "404 page not found\n");
                    } else {
                        MapsJson.Result result = endpoints.maps().get().render(query);
                        send(request, response, callback, result.status(), "application/json", result.json());
                    }
                }
                default -> {
                    Optional<Pages.Page> page = endpoints.pages().flatMap(p -> p.get(path, query));
                    if (page.isPresent()) {
                        send(request, response, callback, page.get().status(), page.get().contentType(), page.get().body());
                    } else {
                        text(response, callback, 404, "404 page not found\n");
                    }
                }
            }
            return true;
        }

        /** As Prometheus answers: 405 but for POST and PUT, 403 without the lifecycle API, 500 with the reasons. */
        private void reload(Request request, Response response, Callback callback) {
            String method = request.getMethod();
            if (!method.equals("POST") && !method.equals("PUT")) {
                response.getHeaders().put(HttpHeader.ALLOW, "POST, PUT");
                text(response, callback, 405, "Only POST or PUT requests allowed\n");
            } else if (endpoints.reload().isEmpty()) {
                text(response, callback, 403, "Lifecycle API is not enabled.\n");
            } else {
                java.util.List<String> errors = endpoints.reload().get().reload();
                if (errors.isEmpty()) {
                    text(response, callback, 200, "");
                } else {
                    text(response, callback, 500, "failed to reload config: " + String.join("; ", errors) + "\n");
                }
            }
        }
    }

    /** {@code rate_limit}: a token bucket, one token per interval, at most burst tokens. */
    static final class RateLimiter {
        private final long intervalNanos;
        private final int burst;
        private double tokens;
        private long last = System.nanoTime();

        RateLimiter(WebConfig.RateLimit limit) {
            this.intervalNanos = limit.interval().toNanos();
            this.burst = limit.burst();
            this.tokens = burst;
        }

        synchronized boolean tryAcquire() {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (double) (now - last) / intervalNanos);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping is best effort at shutdown
        }
    }
}
