package dev.ebpfexporter.testing;

import dev.ebpfexporter.json.Json;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven over the DevTools protocol (a WebSocket from java.net.http):
 * navigate, evaluate script in the page, take screenshots. Each instance has its own fresh
 * profile directory and debugging port, removed on close, so concurrent test runs do not meet.
 */
public final class Chromium implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--ignore-certificate-errors", "--window-size=1280,1500", "--hide-scrollbars");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** The browser binary, failing under CI when it is missing (scripts/install-deps.sh installs it). */
    public static String binary() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        BpfAvailability.requireThat(false, "chromium is installed (apt-get install chromium)");
        throw new IllegalStateException("unreachable");
    }

    /** Starts the browser on about:blank and attaches to its page. */
    public static Chromium start() throws Exception {
        Path profile = Files.createTempDirectory("ebpf-exporter-chromium-");
        List<String> command = new ArrayList<>(List.of(binary()));
        command.addAll(FLAGS);
        command.add("--user-data-dir=" + profile);
        command.add("--remote-debugging-port=0");
        command.add("about:blank");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile()).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            if (!Workloads.await(TIMEOUT, () -> Files.exists(portFile) && lines(portFile).size() >= 2)) {
                throw new AssertionError("chromium wrote no DevToolsActivePort within " + TIMEOUT + ":\n"
                        + Files.readString(profile.resolve("chromium.log")));
            }
            int port = Integer.parseInt(lines(portFile).getFirst().trim());
            String pageSocket = pageSocket(port);
            Chromium[] self = new Chromium[1];
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT)
                    .buildAsync(URI.create(pageSocket), new Listener(message -> {
                        if (self[0] != null) {
                            self[0].receive(message); // nothing is sent before the instance exists
                        }
                    }))
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            self[0] = new Chromium(process, profile, socket);
            return self[0];
        } catch (Exception | AssertionError e) {
            process.destroyForcibly();
            deleteTree(profile);
            throw e;
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }

    @SuppressWarnings("unchecked")
    private static String pageSocket(int port) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                String body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                        .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body();
                for (Object target : (List<Object>) parse(body)) {
                    Map<String, Object> t = (Map<String, Object>) target;
                    if ("page".equals(t.get("type")) && t.get("webSocketDebuggerUrl") != null) {
                        return (String) t.get("webSocketDebuggerUrl");
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("chromium has no page target: " + body);
                }
                Thread.sleep(100);
            }
        }
    }

    static Object parse(String json) {
        return new Load(LoadSettings.builder().setCodePointLimit(256 * 1024 * 1024).build()).loadFromString(json);
    }

    @SuppressWarnings("unchecked")
    private void receive(String message) {
        Map<String, Object> parsed = (Map<String, Object>) parse(message);
        Object id = parsed.get("id");
        if (id instanceof Integer number) {
            CompletableFuture<Map<String, Object>> future = pending.remove(number);
            if (future != null) {
                future.complete(parsed);
            }
        }
    }

    /** Sends a DevTools command ({@code params} is a JSON object text) and returns its result. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> send(String method, String params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> future = new CompletableFuture<>();
        pending.put(id, future);
        socket.sendText("{\"id\":" + id + ",\"method\":" + Json.string(method) + ",\"params\":" + params + "}", true)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Map<String, Object> response = future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (response.containsKey("error")) {
            throw new AssertionError(method + " failed: " + response.get("error"));
        }
        return (Map<String, Object>) response.get("result");
    }

    /** Every request of the page carries these headers from now on (e.g. the Authorization a login gives). */
    public void setHeaders(Map<String, String> headers) throws Exception {
        StringBuilder json = new StringBuilder("{\"headers\":{");
        headers.forEach((name, value) -> json.append(json.length() > 12 ? "," : "").append(Json.string(name)).append(':')
                .append(Json.string(value)));
        send("Network.enable", "{}");
        send("Network.setExtraHTTPHeaders", json.append("}}").toString());
    }

    /** Loads {@code url} and waits until its document has loaded. */
    public void navigate(String url) throws Exception {
        send("Page.enable", "{}");
        send("Page.navigate", "{\"url\":" + Json.string(url) + "}");
        awaitValue("return location.href === " + Json.string(url) + " && document.readyState === 'complete';",
                Boolean.TRUE::equals, TIMEOUT);
    }

    /**
     * Evaluates {@code expression} in the page; its value must be JSON-serialisable and comes back
     * parsed (maps, lists, strings, numbers). Exceptions in the page fail the test.
     */
    @SuppressWarnings("unchecked")
    public Object evaluate(String expression) throws Exception {
        Map<String, Object> result = send("Runtime.evaluate", "{\"expression\":" + Json.string(
                "JSON.stringify((() => { " + expression + " })())") + ",\"returnByValue\":true,\"awaitPromise\":true}");
        if (result.containsKey("exceptionDetails")) {
            throw new AssertionError("script failed in the page: " + result.get("exceptionDetails"));
        }
        Object value = ((Map<String, Object>) result.get("result")).get("value");
        return value == null ? null : parse((String) value);
    }

    /**
     * Evaluates until {@code done} holds for the value, or fails naming the last value; a script
     * that fails (e.g. while a document is replaced) is tried again.
     */
    public Object awaitValue(String expression, Predicate<Object> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object value = null;
        while (System.nanoTime() < deadline) {
            try {
                value = evaluate(expression);
            } catch (AssertionError e) {
                value = e.getMessage();
                Thread.sleep(200);
                continue;
            }
            if (value != null && done.test(value)) {
                return value;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("within " + timeout + " the page never gave what was awaited; last value of ["
                + expression + "]: " + value);
    }

    /** A PNG of the viewport scaled by {@code scale}, written to {@code file}. */
    public void screenshot(Path file, double scale) throws Exception {
        Map<String, Object> result = send("Page.captureScreenshot", "{\"format\":\"png\",\"clip\":{\"x\":0,\"y\":0,"
                + "\"width\":1280,\"height\":1200,\"scale\":" + scale + "}}");
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode((String) result.get("data")));
    }

    @Override
    public void close() {
        socket.abort();
        Workloads.kill(process);
        deleteTree(profile);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }

    /** Collects a message's text frames and hands complete messages on. */
    private static final class Listener implements WebSocket.Listener {
        private final java.util.function.Consumer<String> onMessage;
        private final StringBuilder partial = new StringBuilder();

        Listener(java.util.function.Consumer<String> onMessage) {
            this.onMessage = onMessage;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                onMessage.accept(message);
            }
            webSocket.request(1);
            return null;
        }
    }
}
