package dev.ebpfexporter.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /-/reload} answers as Prometheus's does: 405 but for POST and PUT, 403 without the lifecycle API, 500 with the reasons. */
@Timeout(60)
class ReloadEndpointTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Test
    void withoutTheLifecycleApiAReloadIsForbidden() throws Exception {
        try (WebServer server = start(Optional.empty())) {
            HttpResponse<String> post = send(server, "POST");
            assertThat(post.statusCode()).isEqualTo(403);
            assertThat(post.body()).isEqualTo("Lifecycle API is not enabled.\n");
            assertThat(send(server, "GET").statusCode()).isEqualTo(405);
        }
    }

    @Test
    void postAndPutReloadAndSayWhatFailed() throws Exception {
        AtomicInteger reloads = new AtomicInteger();
        List<List<String>> outcomes = List.of(List.of(), List.of("config a: broken (the previous version keeps running)",
                "config b: gone"));
        try (WebServer server = start(Optional.of(() -> outcomes.get(reloads.getAndIncrement() % 2)))) {
            HttpResponse<String> ok = send(server, "POST");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEmpty();
            HttpResponse<String> failed = send(server, "PUT");
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body()).isEqualTo("failed to reload config: config a: broken (the previous version keeps"
                    + " running); config b: gone\n");
            HttpResponse<String> get = send(server, "GET");
            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(get.body()).isEqualTo("Only POST or PUT requests allowed\n");
            assertThat(reloads).as("GET reloads nothing").hasValue(2);
        }
    }

    private static WebServer start(Optional<Reload> reload) throws Exception {
        WebServer.Endpoints endpoints = new WebServer.Endpoints("/metrics", TestServers.endpoint(), () -> "", List::of,
                Optional.empty(), Optional.empty(), reload);
        return WebServer.start(new InetSocketAddress("127.0.0.1", 0), WebConfig.NONE, endpoints, WebServer.Limits.DEFAULT);
    }

    private static HttpResponse<String> send(WebServer server, String method) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/-/reload"))
                .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
