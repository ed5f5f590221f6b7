package dev.ebpfexporter.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for an exporter started as a separate process (launcher, unit, container) to serve a scrape. */
public final class Scrapes {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Scrapes() {
    }

    /**
     * The body of the first 200 from {@code url}, polled every 50 ms.
     *
     * @param alive false once the exporter is gone, which fails at once with its log
     */
    public static String firstMetrics(URI url, BooleanSupplier alive, Path log, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                throw new AssertionError("exporter exited before serving " + url + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no scrape of " + url + " within " + timeout + ":\n" + Files.readString(log));
    }

    /** The body of one scrape of {@code http://127.0.0.1:<port>/metrics}; fails on anything but a 200. */
    public static String metrics(int port) throws IOException, InterruptedException {
        URI url = URI.create("http://127.0.0.1:" + port + "/metrics");
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Resident set size of a process in KiB, from {@code /proc/<pid>/status}. */
    public static long rssKib(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                .findFirst().orElseThrow(() -> new IOException("no VmRSS for pid " + pid));
    }
}
