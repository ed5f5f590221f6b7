package dev.ebpfexporter.cli;

import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.hist.Distribution;
import dev.ebpfexporter.hist.TextExposition;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ebpf_exporter hist} against the launcher with biolatency loaded, checked against scrapes around it. */
class HistCommandIT {
    private static final Pattern ROW = Pattern.compile("^ *(\\S+) -> (\\S+) *: (\\d+) +\\|(\\**) *\\|$");
    private static final String HEADER = "     usecs               : count    distribution";

    private record Row(String low, String high, long count, int stars) {
    }

    @Test
    @Timeout(180)
    void printsTheBiolatencyPictureOfALiveExporter() throws Exception {
        BpfAvailability.require();
        int port = Ports.free();
        String url = "http://127.0.0.1:" + port;
        String device = Workloads.blockDeviceOf(Workloads.SCRATCH_DIR);
        Map<String, String> labels = Map.of("device", device, "operation", "write");
        try (Launcher exporter = Launcher.start("--config.dir=" + BpfAvailability.examples(), "--config.names=biolatency",
                "--web.listen-address=127.0.0.1:" + port);
             Workloads.ScratchFile file = Workloads.scratchFile("hist");
             HttpClient http = HttpClient.newHttpClient()) {
            exporter.awaitLog("listening on", Duration.ofSeconds(90));
            Workloads.directWrite(file.path(), 4096, 200);

            Distribution before = scrape(http, url, labels);
            String printed = hist(url, "bio_latency_seconds", "device=" + device, "operation=write");
            Distribution after = scrape(http, url, labels);

            List<String> lines = printed.lines().toList();
            assertThat(lines.getFirst()).isEqualTo(HEADER);
            List<Row> rows = rows(lines.subList(1, lines.size()));
            assertThat(printed).startsWith(HEADER + "\n         0 -> 1          : ");
            long max = rows.stream().mapToLong(Row::count).max().orElseThrow();
            long total = 0;
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                assertThat(row.count()).as("row " + i).isBetween(before.counts()[i], after.counts()[i]);
                assertThat(row.stars()).as("stars of row " + i).isEqualTo((int) (row.count() * 40 / max));
                if (i > 0) {
                    assertThat(row.low()).isEqualTo(rows.get(i - 1).high());
                    assertThat(Long.parseLong(row.high())).isEqualTo(2 * Long.parseLong(row.low()));
                }
                total += row.count();
            }
            assertThat(total).isGreaterThanOrEqualTo(Arrays.stream(before.counts()).sum()).isGreaterThanOrEqualTo(200);

            // --interval: differences, not totals. Writes go on while it runs.
            CompletableFuture<String> intervals = CompletableFuture.supplyAsync(() ->
                    hist(url, "bio_latency_seconds", "device=" + device, "operation=write", "--interval", "1", "--count", "2"));
            while (!intervals.isDone()) {
                Workloads.directWrite(file.path(), 4096, 50);
            }
            String text = intervals.get();
            assertThat(text).startsWith("Tracing bio_latency_seconds at " + url + "/metrics... Hit Ctrl-C to end.\n\n");
            List<String> chunks = Arrays.asList(text.substring(text.indexOf("\n\n") + 2).split("\n\n", -1));
            assertThat(chunks).as(text).hasSize(2);
            long totalAtEnd = Arrays.stream(scrape(http, url, labels).counts()).sum();
            long inIntervals = 0;
            for (String chunk : chunks) {
                if (!chunk.isBlank()) {
                    List<String> chunkLines = chunk.lines().toList();
                    assertThat(chunkLines.getFirst()).isEqualTo(HEADER);
                    inIntervals += rows(chunkLines.subList(1, chunkLines.size())).stream().mapToLong(Row::count).sum();
                }
            }
            assertThat(inIntervals).as(text).isPositive().isLessThan(totalAtEnd - total + 1);
        }
    }

    private static List<Row> rows(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        for (String line : lines) {
            Matcher m = ROW.matcher(line);
            assertThat(m.matches()).as("row \"" + line + "\"").isTrue();
            assertThat(line.length()).as("row width of \"" + line + "\"").isEqualTo(78); // 10 + " -> " + 10 + " : " + 8 + " |" + 40 + "|"
            rows.add(new Row(m.group(1), m.group(2), Long.parseLong(m.group(3)), m.group(4).length()));
        }
        return rows;
    }

    private static String hist(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = HistCommand.run(new HistCommand(), new PrintWriter(out), new PrintWriter(err), args);
        assertThat(err.toString()).isEmpty();
        assertThat(exit).isZero();
        return out.toString();
    }

    private static Distribution scrape(HttpClient http, String url, Map<String, String> labels) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/metrics"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        List<TextExposition.Series> series = TextExposition.parse(response.body())
                .series("ebpf_exporter_bio_latency_seconds", labels);
        assertThat(series).as("series " + labels).hasSize(1);
        return series.getFirst().distribution();
    }
}
