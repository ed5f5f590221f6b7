package dev.ebpfexporter.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ebpf_exporter hist} against fixed expositions (ours and the reference exporter's), whole output asserted. */
class HistCommandTest {
    private static final String URL = "http://exporter.test:9435";

    private record Run(int exit, String out, String err, List<Long> sleeps) {
    }

    private static Run hist(List<String> texts, String... args) {
        Deque<String> pending = new ArrayDeque<>(texts);
        List<Long> sleeps = new ArrayList<>();
        HistCommand command = new HistCommand(target -> {
            assertThat(target.toString()).isEqualTo(URL + "/metrics");
            return pending.size() > 1 ? pending.poll() : pending.peek();
        }, sleeps::add);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = HistCommand.run(command, new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString(), sleeps);
    }

    static String fixture(String name) {
        try (InputStream in = HistCommandTest.class.getResourceAsStream("/dev/ebpfexporter/hist/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new AssertionError("fixture " + name + ": " + e);
        }
    }

    @Test
    void printsTheReferenceExportersGoFormattedBucketsAsBccDoes() {
        Run run = hist(List.of(fixture("reference-biolatency.txt")), URL, "bio_latency_seconds", "operation=write");
        assertThat(run.err()).isEmpty();
        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo(fixture("expected-write.txt"));
    }

    @Test
    void printsOurJavaFormattedBucketsTheSameWay() {
        Run run = hist(List.of(fixture("ours-biolatency.txt")), URL, "ebpf_exporter_bio_latency_seconds",
                "device=sda", "operation=write");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo(fixture("expected-write.txt"));
    }

    @Test
    void addsUpTheMatchingSeriesByDefault() {
        Run run = hist(List.of(fixture("reference-biolatency.txt")), URL, "bio_latency_seconds");
        assertThat(run.out()).isEqualTo(fixture("expected-sum.txt"));
    }

    @Test
    void printsOneHistogramPerSeriesWithEach() {
        Run run = hist(List.of(fixture("ours-biolatency.txt")), URL, "bio_latency_seconds", "--each");
        assertThat(run.out()).isEqualTo(fixture("expected-each.txt"));
    }

    @Test
    void everyIntervalPrintsTheDifferenceToThePreviousRead() {
        String first = fixture("ours-biolatency.txt");
        // The write series doubled, the read series unchanged: the difference is the write series once.
        StringBuilder doubled = new StringBuilder();
        for (String line : first.split("\n")) {
            if (line.contains("operation=\"write\"") && !line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                double value = Double.parseDouble(line.substring(space + 1));
                line = line.substring(0, space + 1) + (line.contains("_sum") ? value * 2 : (long) (value * 2));
            }
            doubled.append(line).append('\n');
        }
        Run run = hist(List.of(first, doubled.toString()), URL, "bio_latency_seconds", "--interval", "3", "--count", "1");
        assertThat(run.exit()).isZero();
        assertThat(run.sleeps()).containsExactly(3000L);
        assertThat(run.out()).isEqualTo("Tracing bio_latency_seconds at " + URL + "/metrics... Hit Ctrl-C to end.\n\n"
                + fixture("expected-write.txt"));
    }

    @Test
    void anIntervalWithoutObservationsPrintsNoHistogram() {
        String text = fixture("ours-biolatency.txt");
        Run run = hist(List.of(text, text, text), URL, "bio_latency_seconds", "--interval", "1", "--count", "2");
        assertThat(run.out()).isEqualTo("Tracing bio_latency_seconds at " + URL + "/metrics... Hit Ctrl-C to end.\n\n\n");
    }

    @Test
    void namesTheHistogramsThereWhenTheMetricIsMissing() {
        Run run = hist(List.of(fixture("reference-biolatency.txt")), URL, "runqueue_latency_seconds");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("ebpf_exporter hist: no histogram runqueue_latency_seconds at " + URL
                + "/metrics (histograms there: ebpf_exporter_bio_latency_seconds)\n");
    }

    @Test
    void namesTheLabelsWhenNoSeriesMatches() {
        Run run = hist(List.of(fixture("reference-biolatency.txt")), URL, "bio_latency_seconds", "disk=sda");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("ebpf_exporter hist: no series of bio_latency_seconds has disk=sda"
                + " (its labels: device, operation)\n");
    }

    @Test
    void rejectsALabelWithoutAValue() {
        Run run = hist(List.of(fixture("reference-biolatency.txt")), URL, "bio_latency_seconds", "sda");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("ebpf_exporter hist: \"sda\": labels are given as LABEL=VALUE\n");
    }

    @Test
    void aBadCommandLineExitsOneAsTheExporterDoesWithOneLine() {
        Run bogus = hist(List.of(fixture("reference-biolatency.txt")), "--bogus", URL, "bio_latency_seconds");
        assertThat(bogus.exit()).isEqualTo(1);
        assertThat(bogus.err()).isEqualTo("ebpf_exporter hist: Unknown option: '--bogus'; run ebpf_exporter hist --help"
                + " for its usage\n");
        Run noMetric = hist(List.of(fixture("reference-biolatency.txt")), URL);
        assertThat(noMetric.exit()).as("no METRIC").isEqualTo(1);
        assertThat(noMetric.err()).isEqualTo("ebpf_exporter hist: Missing required parameter: 'METRIC'; run ebpf_exporter"
                + " hist --help for its usage\n");
        assertThat(noMetric.out()).isEmpty();
    }

    @Test
    void anUnreachableExporterIsOneClearLine() throws Exception {
        int port = dev.ebpfexporter.testing.Ports.free();
        StringWriter err = new StringWriter();
        int exit = HistCommand.run(new HistCommand(), new PrintWriter(new StringWriter()), new PrintWriter(err),
                "127.0.0.1:" + port, "bio_latency_seconds");
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("ebpf_exporter hist: GET http://127.0.0.1:" + port + "/metrics: cannot connect to"
                + " 127.0.0.1:" + port + " (connection refused: is the exporter running and listening there? see"
                + " --web.listen-address)\n");
    }

    @Test
    void readsAFileUrlAndDefaultsThePathToMetrics() {
        assertThat(HistCommand.target("localhost:9435").toString()).isEqualTo("http://localhost:9435/metrics");
        assertThat(HistCommand.target("https://a:b@host:1/").toString()).isEqualTo("https://a:b@host:1/metrics");
        assertThat(HistCommand.target("http://host:1/custom").toString()).isEqualTo("http://host:1/custom");
        assertThat(HistCommand.target("file:/tmp/x.txt").toString()).isEqualTo("file:/tmp/x.txt");
    }

    @Test
    void mainDispatchesTheSubcommand() {
        assertThat(Main.run("hist", "--help")).isZero();
    }
}
