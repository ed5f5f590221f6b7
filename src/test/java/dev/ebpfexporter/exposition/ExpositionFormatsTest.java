package dev.ebpfexporter.exposition;

import dev.ebpfexporter.testing.Samples.Sample;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our three formats checked against independent readers: Prometheus's own parser (promtool) for
 * the text format, client_java's text writers for the same data series by series, and client_java's
 * generated protobuf classes for the protobuf format.
 */
class ExpositionFormatsTest {
    private static final double[] BOUNDS = {1e-6, 0.000512, 0.5, 50, 1048576, Double.POSITIVE_INFINITY};

    /** One family of every kind, with escapes in help and label values and bounds Go spells oddly. */
    static List<Family> families() {
        Samples counter = Samples.builder("ebpf_exporter_events_total", "Events \\ by \"kind\"\nsecond line",
                        MetricType.COUNTER)
                .add(3, "kind", "a\"b\\c\nd")
                .add(12345678, "kind", "é")
                .add(0.5, "kind", "half")
                .build();
        Samples bare = Samples.builder("ebpf_exporter_oom_kills", "OOM kills", MetricType.COUNTER)
                .add(2, "id", "1").build();
        Samples gauge = Samples.builder("ebpf_exporter_enabled_configs", "The set of enabled configs", MetricType.GAUGE)
                .add(1, "name", "timers").add(-2.5e-7, "name", "x").build();
        Samples untyped = Samples.builder("ebpf_exporter_misc", "", MetricType.UNTYPED).add(1e21, LabelSet.EMPTY).build();
        Samples empty = Samples.builder("ebpf_exporter_nothing_total", "no series", MetricType.COUNTER).build();
        Histograms histogram = new Histograms(new FamilyMetadata("ebpf_exporter_latency_seconds", "latency", MetricType.HISTOGRAM),
                new LabelSet[]{LabelSet.of("device", "sda", "op", "read"), LabelSet.of("device", "sda", "op", "write")}, 2,
                BOUNDS, new long[]{1, 0, 2, 0, 5, 0, 0, 0, 0, 7, 3_000_000, 0}, new double[]{0.123456, 1234567.5});
        Histograms unlabelled = new Histograms(new FamilyMetadata("ebpf_exporter_sizes_bytes", "sizes", MetricType.HISTOGRAM),
                new LabelSet[]{LabelSet.EMPTY}, 1, new double[]{1, 2, Double.POSITIVE_INFINITY},
                new long[]{4, 0, 1}, new double[]{9});
        Summaries summary = new Summaries(new FamilyMetadata("jvm_gc_collection_seconds", "GC time", MetricType.SUMMARY),
                new LabelSet[]{LabelSet.of("gc", "G1 Young Generation")}, 1, new long[]{7}, new double[]{0.042},
                new double[]{0.5, 0.99}, new double[]{0.001, 0.02});
        return List.of(counter, bare, gauge, untyped, empty, histogram, unlabelled, summary);
    }

    private static String write(Format format, List<Family> families) {
        ByteBuf out = new ByteBuf(64);
        format.write(families, out);
        return out.toString();
    }

    @Test
    void prometheusParsesOurTextFormat() throws Exception {
        String text = write(Format.TEXT, families());
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        promtool.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // Exit 3 is "lint problems": only the ones this data has on purpose are allowed.
        assertThat(promtool.exitValue()).as(output).isIn(0, 3);
        assertThat(output.lines().toList()).as(text).containsExactlyInAnyOrder(
                "ebpf_exporter_misc no help text",
                "ebpf_exporter_oom_kills counter metrics should have \"_total\" suffix");
    }

    @Test
    void textHasTheReferencesSpellings() {
        String text = write(Format.TEXT, families());
        assertThat(text).contains("""
                # HELP ebpf_exporter_events_total Events \\\\ by "kind"\\nsecond line
                # TYPE ebpf_exporter_events_total counter
                ebpf_exporter_events_total{kind="a\\"b\\\\c\\nd"} 3
                ebpf_exporter_events_total{kind="é"} 1.2345678e+07
                ebpf_exporter_events_total{kind="half"} 0.5
                # HELP ebpf_exporter_oom_kills OOM kills
                # TYPE ebpf_exporter_oom_kills counter
                ebpf_exporter_oom_kills{id="1"} 2
                """, """
                ebpf_exporter_latency_seconds_bucket{device="sda",op="read",le="1e-06"} 1
                ebpf_exporter_latency_seconds_bucket{device="sda",op="read",le="0.000512"} 1
                ebpf_exporter_latency_seconds_bucket{device="sda",op="read",le="0.5"} 3
                ebpf_exporter_latency_seconds_bucket{device="sda",op="read",le="50"} 3
                ebpf_exporter_latency_seconds_bucket{device="sda",op="read",le="1.048576e+06"} 8
                ebpf_exporter_latency_seconds_bucket{device="sda",op="read",le="+Inf"} 8
                ebpf_exporter_latency_seconds_sum{device="sda",op="read"} 0.123456
                ebpf_exporter_latency_seconds_count{device="sda",op="read"} 8
                """, """
                ebpf_exporter_latency_seconds_bucket{device="sda",op="write",le="+Inf"} 3.000007e+06
                ebpf_exporter_latency_seconds_sum{device="sda",op="write"} 1.2345675e+06
                """, """
                # TYPE ebpf_exporter_misc untyped
                ebpf_exporter_misc 1e+21
                """, """
                # HELP ebpf_exporter_nothing_total no series
                # TYPE ebpf_exporter_nothing_total counter
                # HELP ebpf_exporter_latency_seconds latency
                """, """
                jvm_gc_collection_seconds{gc="G1 Young Generation",quantile="0.5"} 0.001
                jvm_gc_collection_seconds{gc="G1 Young Generation",quantile="0.99"} 0.02
                jvm_gc_collection_seconds_sum{gc="G1 Young Generation"} 0.042
                jvm_gc_collection_seconds_count{gc="G1 Young Generation"} 7
                """);
    }

    @Test
    void openMetricsNamesCountersByFamilyAndSamplesWithTotal() {
        String text = write(Format.OPENMETRICS, families());
        assertThat(text).contains("""
                # HELP ebpf_exporter_events Events \\\\ by \\"kind\\"\\nsecond line
                # TYPE ebpf_exporter_events counter
                ebpf_exporter_events_total{kind="a\\"b\\\\c\\nd"} 3.0
                """, """
                # HELP ebpf_exporter_oom_kills OOM kills
                # TYPE ebpf_exporter_oom_kills counter
                ebpf_exporter_oom_kills_total{id="1"} 2.0
                """, """
                ebpf_exporter_latency_seconds_bucket{device="sda",op="read",le="50.0"} 3
                ebpf_exporter_latency_seconds_bucket{device="sda",op="read",le="1.048576e+06"} 8
                """, """
                ebpf_exporter_latency_seconds_bucket{device="sda",op="write",le="+Inf"} 3000007
                ebpf_exporter_latency_seconds_sum{device="sda",op="write"} 1.2345675e+06
                ebpf_exporter_latency_seconds_count{device="sda",op="write"} 3000007
                """, "# TYPE ebpf_exporter_misc unknown\n").endsWith("# EOF\n");
        assertThat(text.indexOf("# EOF")).isEqualTo(text.length() - "# EOF\n".length());
    }

    @Test
    void sameSeriesAsClientJavaWritesForTheSameData() throws IOException {
        List<Family> families = families();
        MetricSnapshots snapshots = new MetricSnapshots(families.stream().map(ClientJavaSnapshots::of).toList());
        ByteArrayOutputStream theirs = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(theirs, snapshots);
        assertThat(series(write(Format.TEXT, families))).isEqualTo(series(theirs.toString(StandardCharsets.UTF_8)))
                .hasSizeGreaterThan(20);

        ByteArrayOutputStream theirsOm = new ByteArrayOutputStream();
        OpenMetricsTextFormatWriter.create().write(theirsOm, snapshots);
        assertThat(series(write(Format.OPENMETRICS, families))).isEqualTo(series(theirsOm.toString(StandardCharsets.UTF_8)));
    }

    /**
     * Sample name (counters without {@code _total}: client_java always adds it, we keep a configured
     * name as is) and labels (bounds read as numbers) to value.
     */
    private static Map<String, Double> series(String text) {
        Map<String, Double> result = new TreeMap<>();
        for (Sample sample : dev.ebpfexporter.testing.Samples.parse(text).all()) {
            TreeMap<String, String> labels = new TreeMap<>(sample.labels());
            labels.computeIfPresent("le", (k, v) -> Double.toString(bound(v)));
            labels.computeIfPresent("quantile", (k, v) -> Double.toString(bound(v)));
            String name = sample.name().endsWith("_total") ? sample.name().substring(0, sample.name().length() - 6) : sample.name();
            result.put(name + labels, sample.value());
        }
        return result;
    }

    private static double bound(String v) {
        return v.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v);
    }

    @Test
    void protobufDecodesWithTheGeneratedClasses() throws IOException {
        ByteBuf out = new ByteBuf(64);
        Format.PROTOBUF.write(families(), out);
        ByteArrayInputStream in = new ByteArrayInputStream(out.array(), 0, out.size());
        List<Metrics.MetricFamily> decoded = new ArrayList<>();
        Metrics.MetricFamily family;
        while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
            decoded.add(family);
        }
        assertThat(decoded).extracting(Metrics.MetricFamily::getName).containsExactly("ebpf_exporter_events_total",
                "ebpf_exporter_oom_kills", "ebpf_exporter_enabled_configs", "ebpf_exporter_misc",
                "ebpf_exporter_nothing_total", "ebpf_exporter_latency_seconds", "ebpf_exporter_sizes_bytes",
                "jvm_gc_collection_seconds");
        Metrics.MetricFamily events = decoded.get(0);
        assertThat(events.getType()).isEqualTo(Metrics.MetricType.COUNTER);
        assertThat(events.getHelp()).isEqualTo("Events \\ by \"kind\"\nsecond line");
        assertThat(events.getMetricList()).extracting(m -> m.getLabel(0).getValue() + "=" + m.getCounter().getValue())
                .containsExactly("a\"b\\c\nd=3.0", "é=1.2345678E7", "half=0.5");
        assertThat(decoded.get(1).getType()).isEqualTo(Metrics.MetricType.COUNTER);
        assertThat(decoded.get(2).getMetric(1).getGauge().getValue()).isEqualTo(-2.5e-7);
        assertThat(decoded.get(3).getType()).isEqualTo(Metrics.MetricType.UNTYPED);
        assertThat(decoded.get(3).getMetric(0).getUntyped().getValue()).isEqualTo(1e21);
        assertThat(decoded.get(4).getMetricCount()).isZero();

        Metrics.Histogram write = decoded.get(5).getMetric(1).getHistogram();
        assertThat(decoded.get(5).getMetric(1).getLabelList()).extracting(l -> l.getName() + "=" + l.getValue())
                .containsExactly("device=sda", "op=write");
        assertThat(write.getSampleCount()).isEqualTo(3_000_007);
        assertThat(write.getSampleSum()).isEqualTo(1234567.5);
        assertThat(write.getBucketList()).extracting(b -> b.getUpperBound() + ":" + b.getCumulativeCount())
                .as("+Inf is the sample count, left out as client_golang does")
                .containsExactly("1.0E-6:0", "5.12E-4:0", "0.5:0", "50.0:7", "1048576.0:3000007");
        assertThat(write.hasSchema()).as("classic only: no native fields").isFalse();
        assertThat(write.hasZeroThreshold()).isFalse();

        Metrics.Summary gc = decoded.get(7).getMetric(0).getSummary();
        assertThat(gc.getSampleCount()).isEqualTo(7);
        assertThat(gc.getQuantileList()).extracting(q -> q.getQuantile() + ":" + q.getValue())
                .containsExactly("0.5:0.001", "0.99:0.02");
    }
}
