package dev.ebpfexporter.compat;

import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.TestTools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code /usr/bin/prometheus} (2.42) scraping loopback targets every second, in a directory
 * of the test's, with instant queries through its HTTP API. Closing it stops the process.
 */
record PrometheusServer(Process process, Path log, int port) implements AutoCloseable {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    // One element of an instant vector: its labels, then a float value or a native histogram's count and sum.
    private static final Pattern ELEMENT = Pattern.compile(
            "\\{\"metric\":\\{([^}]*)},\"(value|histogram)\":\\[[^,]+,(?:\"([^\"]*)\"|\\{\"count\":\"([^\"]*)\",\"sum\":\"([^\"]*)\")");
    private static final Pattern LABEL = Pattern.compile("\"([^\"]+)\":\"([^\"]*)\"");

    /** One element of an instant query's result: a float sample, or a native histogram (value null). */
    record Element(Map<String, String> labels, String value, String histogramCount, String histogramSum) {
        boolean isHistogram() {
            return value == null;
        }

        double number() {
            return Double.parseDouble(value);
        }
    }

    /**
     * Starts a server in {@code dir} scraping every job of {@code targets} (job name to port) once a second;
     * with {@code nativeHistograms} it runs with {@code --enable-feature=native-histograms}.
     */
    static PrometheusServer start(Path dir, Map<String, Integer> targets, boolean nativeHistograms) throws IOException {
        StringBuilder jobs = new StringBuilder();
        targets.forEach((job, target) -> jobs.append("""
                  - job_name: %s
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(job, target)));
        return start(dir, jobs.toString(), nativeHistograms);
    }

    /**
     * Starts a server in {@code dir} with {@code scrapeConfigs} (the items of {@code scrape_configs:}, as
     * YAML indented by two spaces) scraped once a second.
     */
    static PrometheusServer start(Path dir, String scrapeConfigs, boolean nativeHistograms) throws IOException {
        TestTools.require("prometheus", "prometheus");
        Files.createDirectories(dir);
        String config = """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                """ + scrapeConfigs;
        Files.writeString(dir.resolve("prometheus.yml"), config);
        int port = Ports.free();
        List<String> command = new ArrayList<>(List.of(PROMETHEUS.toString(),
                "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port));
        if (nativeHistograms) {
            command.add("--enable-feature=native-histograms");
        }
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new PrometheusServer(process, log, port);
    }

    /** The instant query's elements, labels sorted; empty while Prometheus is not up or has no data. */
    List<Element> query(String promql) {
        URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        String body;
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(10_000);
            if (connection.getResponseCode() != 200) {
                return List.of();
            }
            try (var in = connection.getInputStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException notUp) {
            return List.of();
        }
        List<Element> elements = new ArrayList<>();
        Matcher matcher = ELEMENT.matcher(body);
        while (matcher.find()) {
            Map<String, String> labels = new TreeMap<>();
            Matcher label = LABEL.matcher(matcher.group(1));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
            elements.add(matcher.group(2).equals("value")
                    ? new Element(labels, matcher.group(3), null, null)
                    : new Element(labels, null, matcher.group(4), matcher.group(5)));
        }
        return elements;
    }

    /** The query's elements by their labels without {@code __name__} and {@code instance}. */
    Map<Map<String, String>, Element> bySeries(String promql) {
        Map<Map<String, String>, Element> out = new LinkedHashMap<>();
        for (Element element : query(promql)) {
            Map<String, String> labels = new TreeMap<>(element.labels());
            labels.remove("__name__");
            labels.remove("instance");
            if (out.put(labels, element) != null) {
                throw new AssertionError(promql + ": two elements with labels " + labels);
            }
        }
        return out;
    }

    /** Queries until {@code done} holds for the result or {@code timeout} passes; returns the last result. */
    List<Element> awaitQuery(String promql, Predicate<List<Element>> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Element> result = query(promql);
        while (!done.test(result) && System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited with " + process.exitValue() + ", see " + log);
            }
            Thread.sleep(250);
            result = query(promql);
        }
        return result;
    }


    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** For messages: the end of the server's log. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
