package dev.ebpfexporter.view;

import dev.ebpfexporter.collector.ExporterView;
import dev.ebpfexporter.json.Json;
import dev.ebpfexporter.http.Pages;
import dev.ebpfexporter.http.Query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The live view's endpoints: the landing page ({@link #page()}), {@code /view/data} (the JSON the
 * page polls: {@code since}, {@code top}, {@code filter}) and the page's script and style sheet,
 * which are in the jar.
 */
public final class LiveView implements Pages {
    private static final Map<String, String> ASSETS = Map.of(
            "/view/view.js", "text/javascript; charset=utf-8",
            "/view/view.css", "text/css; charset=utf-8");

    private final ExporterView exporter;
    private final String version;
    private final String telemetryPath;
    private final Sampler sampler;
    private final Map<String, String> assets;

    public LiveView(ExporterView exporter, String version, String telemetryPath) {
        this.exporter = exporter;
        this.version = version;
        this.telemetryPath = telemetryPath;
        this.sampler = new Sampler(exporter);
        this.assets = Map.of("/view/view.js", resource("view.js"), "/view/view.css", resource("view.css"));
    }

    /** The landing page's HTML. */
    public String page() {
        return ViewPage.render(version, telemetryPath, exporter.configs(), exporter.failures(), exporter.status());
    }

    @Override
    public Optional<Page> get(String path, Query query) {
        if (path.equals("/view/data")) {
            ViewData.Query parsed;
            try {
                parsed = parse(query);
            } catch (IllegalArgumentException e) {
                // A bad query is the client's: its one-line reason is the answer, there is no fault to trace.
                return Optional.of(new Page(400, "application/json", "{\"error\":" + Json.string(e.getMessage()) + "}\n"));
            }
            return Optional.of(new Page(200, "application/json", sampler.read(state -> ViewData.render(state, parsed))));
        }
        String type = ASSETS.get(path);
        return type == null ? Optional.empty() : Optional.of(new Page(200, type, assets.get(path)));
    }

    /** {@code since=SEQ&top=N&filter=TEXT}, each optional. */
    static ViewData.Query parse(Query query) {
        ViewData.Query result = ViewData.Query.DEFAULT;
        for (Query.Parameter parameter : query.parameters()) {
            String name = parameter.name();
            String value = parameter.value();
            switch (name) {
                case "since" -> result = new ViewData.Query(number(name, value, 0, Long.MAX_VALUE), result.top(), result.filter());
                case "top" -> result = new ViewData.Query(result.since(), (int) number(name, value, 1, 1000), result.filter());
                case "filter" -> result = new ViewData.Query(result.since(), result.top(), value);
                default -> throw new IllegalArgumentException("unknown query parameter " + name
                        + "; accepted: since, top, filter");
            }
        }
        return result;
    }

    private static long number(String name, String value, long min, long max) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + "=" + value + ": expected a whole number from " + min + " to " + max);
    }

    private static String resource(String name) {
        try (InputStream in = LiveView.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("view asset " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
