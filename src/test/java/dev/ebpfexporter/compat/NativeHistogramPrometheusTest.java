package dev.ebpfexporter.compat;

import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.collector.ObjectLoader;
import dev.ebpfexporter.decoder.DecoderRegistry;
import dev.ebpfexporter.http.WebServer;
import dev.ebpfexporter.metrics.MetricOptions;
import dev.ebpfexporter.metrics.SeriesLimit;
import dev.ebpfexporter.testing.InProcessExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.ebpfexporter.compat.TestPrograms.map;
import static dev.ebpfexporter.compat.TestPrograms.perCpu;
import static dev.ebpfexporter.compat.TestPrograms.put;
import static dev.ebpfexporter.compat.TestPrograms.u32s;
import static dev.ebpfexporter.compat.TestPrograms.u64s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Native histograms against a real Prometheus (Debian's 2.42): two servers scrape the same
 * exporter (our web server, maps of maps.bpf.o filled by the test), one with
 * {@code --enable-feature=native-histograms} (it asks for protobuf and keeps only the native
 * histogram of a histogram that has one), one without (text, classic {@code _bucket} series).
 * {@code histogram_quantile} must give the same answer on both: exactly the bucket bound where the
 * rank lands on one, and the same interpolation everywhere but in the first bucket, where a classic
 * bucket reaches down to 0 and a native one only to half its bound. The native server also scrapes
 * the exporter loaded with native histograms off (the flag) and with {@code native_histogram: false}
 * on one histogram: those histograms are classic there.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class NativeHistogramPrometheusTest {
    private static final double MICRO = 0x1p-20; // ~9.5367e-07: a power-of-two multiplier

    /** exp2 with 2^-20, exp2 with 1 (per-CPU), exp2zero without labels, exp2 with 0.001 and linear (classic only). */
    private static final String YAML = """
            metrics:
              histograms:
            """ + TestPrograms.opHistogram("exp2_seconds", "exp2 buckets of 2^-20 s%s", "exp2", 0, 26, "9.5367431640625e-07")
            + TestPrograms.opHistogram("percpu_exp2_seconds", "exp2 buckets of 1 s from a per-CPU map%s", "exp2", 0, 20, "")
            + TestPrograms.opHistogram("fixed_sizes", "exp2 buckets of 1 ms, not a power of two", "exp2", 0, 3, "0.001")
            + TestPrograms.opHistogram("linear_items", "linear buckets", "linear", 0, 2, "10") + """
                - name: exp2zero_bytes
                  help: exp2zero buckets without labels (the whole key is the bucket)
                  bucket_type: exp2zero
                  bucket_min: 0
                  bucket_max: 10
                  labels:
                    - name: bucket
                      size: 8
                      decoders:
                        - name: uint
            """;

    /**
     * One label set as the test writes it: {@code counts[k]} observations in bucket key {@code k},
     * whose classic bound is {@code bounds[k]}; {@code first} is the first bucket that is not a zero
     * bucket (the one whose classic and native lower bounds differ).
     */
    record Series(String family, Map<String, String> labels, double[] bounds, long[] counts, int first, double sum) {
        long total() {
            long total = 0;
            for (long c : counts) {
                total += c;
            }
            return total;
        }

        /** The bucket key where rank {@code rank} lands: the first whose cumulative count reaches it. */
        int bucketOf(double rank) {
            long cumulative = 0;
            for (int k = 0; k < counts.length; k++) {
                cumulative += counts[k];
                if (cumulative >= rank && counts[k] > 0) {
                    return k;
                }
            }
            throw new IllegalArgumentException("rank " + rank + " is above " + cumulative);
        }

        @Override
        public String toString() {
            return family + labels;
        }

        long cumulative(int bucket) {
            long cumulative = 0;
            for (int k = 0; k <= bucket; k++) {
                cumulative += counts[k];
            }
            return cumulative;
        }
    }

    static final List<Series> SERIES = new ArrayList<>();
    static final List<InProcessExporter> EXPORTERS = new ArrayList<>();
    static final List<WebServer> SERVERS = new ArrayList<>();
    static PrometheusServer nativeServer;
    static PrometheusServer classicServer;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        // Totals are powers of two, so that q = cumulative / total lands exactly on the cumulative count.
        // Gaps of 1, 2 and 3+ empty buckets between populated ones, a first bucket populated or not.
        series("exp2_seconds", Map.of("op", "1"), exp2Bounds(26, MICRO), 0, MICRO * 123_456,
                0, 3, 1, 1, 3, 4, 6, 8, 10, 16, 11, 32);
        series("exp2_seconds", Map.of("op", "2"), exp2Bounds(26, MICRO), 0, MICRO * 7_777_777,
                5, 2, 9, 6, 12, 8, 14, 16, 26, 96);
        series("exp2_seconds", Map.of("op", "3"), exp2Bounds(26, MICRO), 0, MICRO * 4_000_000, 20, 4);
        series("exp2_seconds", Map.of("op", "4"), exp2Bounds(26, MICRO), 0, 0); // no observations
        series("percpu_exp2_seconds", Map.of("op", "7"), exp2Bounds(20, 1), 0, 0, 0, 1, 2, 1, 3, 2, 7, 4, 8, 8);
        series("percpu_exp2_seconds", Map.of("op", "8"), exp2Bounds(20, 1), 0, 0, 1, 16, 4, 16);
        double[] zeroBounds = new double[11];
        for (int k = 1; k <= 10; k++) {
            zeroBounds[k] = Math.scalb(1.0, k - 1);
        }
        series("exp2zero_bytes", Map.of(), zeroBounds, 1, 1_000, 0, 4, 1, 4, 4, 8, 5, 16);

        Map<String, Integer> nativeJobs = new LinkedHashMap<>();
        nativeJobs.put("default", serve(dir.resolve("default"), true, "", ""));
        // The flag off; a histogram's native_histogram: true wins over it.
        nativeJobs.put("flag_off", serve(dir.resolve("flag_off"), false, "", "\n      native_histogram: true"));
        // The flag on; one histogram's native_histogram: false.
        nativeJobs.put("config_off", serve(dir.resolve("config_off"), true, "\n      native_histogram: false", ""));
        nativeServer = PrometheusServer.start(dir.resolve("native"), nativeJobs, true);
        classicServer = PrometheusServer.start(dir.resolve("classic"), Map.of("default", nativeJobs.get("default")), false);
        // A scrape is committed at once: once a job's linear_items_count is there, all its series are.
        for (PrometheusServer server : List.of(nativeServer, classicServer)) {
            int jobs = server == nativeServer ? nativeJobs.size() : 1;
            assertThat(server.awaitQuery("ebpf_exporter_linear_items_count", r -> r.size() == jobs, Duration.ofSeconds(90)))
                    .as("every job scraped (log %s:\n%s)", server.log(), server.logTail()).hasSize(jobs);
        }
    }

    private static double[] exp2Bounds(int max, double multiplier) {
        double[] bounds = new double[max + 1];
        for (int k = 0; k <= max; k++) {
            bounds[k] = Math.scalb(multiplier, k);
        }
        return bounds;
    }

    /** {@code keyCounts}: bucket key, count, bucket key, count, ... */
    private static void series(String family, Map<String, String> labels, double[] bounds, int first, double sum,
                               long... keyCounts) {
        long[] counts = new long[bounds.length];
        for (int i = 0; i < keyCounts.length; i += 2) {
            counts[(int) keyCounts[i]] = keyCounts[i + 1];
        }
        SERIES.add(new Series(family, labels, bounds, counts, first, sum));
    }

    /** Loads maps.bpf.o with the given flag and YAML switches, fills its maps, serves it; returns the port. */
    private static int serve(Path dir, boolean flag, String exp2Switch, String percpuSwitch) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        ObjectLoader loader = new ObjectLoader(DecoderRegistry.forSystem()::create, java.util.Optional.empty(),
                new MetricOptions(SeriesLimit.DEFAULT, flag));
        InProcessExporter exporter = InProcessExporter.load(loader,
                TestPrograms.config(dir, "native", "maps", YAML.formatted(exp2Switch, percpuSwitch)), "native");
        EXPORTERS.add(exporter);
        assertThat(exporter.failures()).isEmpty();
        for (Series s : SERIES) {
            BpfMap bpfMap = map(exporter, "native", s.family());
            int sumKey = s.counts().length;
            if (s.labels().isEmpty()) { // the 8-byte key is the bucket: u32 bucket, then zeros
                for (int k = 0; k < s.counts().length; k++) {
                    if (s.counts()[k] > 0) {
                        put(bpfMap, u32s(k, 0), u64s(s.counts()[k]));
                    }
                }
                put(bpfMap, u32s(sumKey, 0), u64s(Math.round(s.sum())));
                continue;
            }
            int op = Integer.parseInt(s.labels().get("op"));
            double multiplier = s.bounds()[0];
            for (int k = 0; k < s.counts().length; k++) {
                long count = s.counts()[k];
                if (count > 0) {
                    put(bpfMap, u32s(op, k), !bpfMap.isPerCpu() ? u64s(count)
                            : bpfMap.cpus() > 1 ? perCpu(bpfMap, count - count / 2, count / 2) : perCpu(bpfMap, count));
                }
            }
            long sumUnits = Math.round(s.sum() / multiplier);
            put(bpfMap, u32s(op, sumKey), bpfMap.isPerCpu() ? perCpu(bpfMap, sumUnits) : u64s(sumUnits));
        }
        // Two observations for each classic-only histogram, so that they have buckets to serve.
        put(map(exporter, "native", "fixed_sizes"), u32s(9, 1), u64s(2));
        put(map(exporter, "native", "linear_items"), u32s(10, 1), u64s(2));
        WebServer server = exporter.serve();
        SERVERS.add(server);
        return server.port();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[]{nativeServer, classicServer}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing the other things matters more
                }
            }
        }
        SERVERS.forEach(WebServer::close);
        EXPORTERS.forEach(InProcessExporter::close);
    }

    private static String selector(Series s, String suffix) {
        StringBuilder out = new StringBuilder("ebpf_exporter_" + s.family() + suffix + "{job=\"default\"");
        s.labels().forEach((k, v) -> out.append(',').append(k).append("=\"").append(v).append('"'));
        return out.append('}').toString();
    }

    private static Map<String, String> key(Series s) {
        Map<String, String> key = new java.util.TreeMap<>(s.labels());
        key.put("job", "default");
        return key;
    }

    private static Set<String> names(PrometheusServer server, String promql) {
        return server.query(promql).stream().map(e -> e.labels().get("__name__"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theNativeServerStoresOnlyNativeHistogramsWhereTheBucketsArePowersOfTwo() {
        for (String family : List.of("exp2_seconds", "percpu_exp2_seconds", "exp2zero_bytes")) {
            List<PrometheusServer.Element> elements = nativeServer.query("ebpf_exporter_" + family + "{job=\"default\"}");
            assertThat(elements).as(family).isNotEmpty().allMatch(PrometheusServer.Element::isHistogram);
        }
        assertThat(nativeServer.bySeries("ebpf_exporter_exp2_seconds{job=\"default\"}"))
                .containsOnlyKeys(SERIES.stream().filter(s -> s.family().equals("exp2_seconds")).map(s -> key(s)).toList());
        // The histogram without labels is one series with no labels but the job's.
        assertThat(nativeServer.bySeries("ebpf_exporter_exp2zero_bytes{job=\"default\"}")).containsOnlyKeys(Map.of("job", "default"));
        // Prometheus 2.42 keeps no classic series of a histogram that has native buckets.
        assertThat(names(nativeServer, "{__name__=~\"ebpf_exporter_.+_(bucket|count|sum)\",job=\"default\"}")).containsExactly(
                "ebpf_exporter_fixed_sizes_bucket", "ebpf_exporter_fixed_sizes_count", "ebpf_exporter_fixed_sizes_sum",
                "ebpf_exporter_linear_items_bucket", "ebpf_exporter_linear_items_count", "ebpf_exporter_linear_items_sum");
    }

    @Test
    void theClassicServerStoresClassicBucketsOfEveryHistogram() {
        assertThat(names(classicServer, "{__name__=~\"ebpf_exporter_.+_bucket\"}")).containsExactly(
                "ebpf_exporter_exp2_seconds_bucket", "ebpf_exporter_exp2zero_bytes_bucket", "ebpf_exporter_fixed_sizes_bucket",
                "ebpf_exporter_linear_items_bucket", "ebpf_exporter_percpu_exp2_seconds_bucket");
        assertThat(classicServer.query("{__name__=~\"ebpf_exporter_.+\"}")).isNotEmpty()
                .noneMatch(PrometheusServer.Element::isHistogram);
        // And the classic-only histograms read the same on both servers.
        for (String query : List.of("ebpf_exporter_fixed_sizes_bucket", "ebpf_exporter_linear_items_bucket")) {
            assertThat(values(nativeServer, query + "{job=\"default\"}")).isEqualTo(values(classicServer, query));
        }
    }

    private static Map<Map<String, String>, String> values(PrometheusServer server, String promql) {
        Map<Map<String, String>, String> out = new LinkedHashMap<>();
        server.bySeries(promql).forEach((labels, element) -> out.put(labels, element.value()));
        return out;
    }

    @Test
    void countAndSumOfTheNativeHistogramAreTheClassicCountAndSum() {
        for (Series s : SERIES) {
            var count = nativeServer.bySeries("histogram_count(" + selector(s, "") + ")");
            var sum = nativeServer.bySeries("histogram_sum(" + selector(s, "") + ")");
            var classicCount = classicServer.bySeries(selector(s, "_count"));
            var classicSum = classicServer.bySeries(selector(s, "_sum"));
            assertThat(count.get(key(s)).number()).as("count of %s", s).isEqualTo(s.total())
                    .isEqualTo(classicCount.get(key(s)).number());
            assertThat(sum.get(key(s)).number()).as("sum of %s", s).isEqualTo(s.sum())
                    .isEqualTo(classicSum.get(key(s)).number());
            var histogram = nativeServer.bySeries(selector(s, "")).get(key(s));
            assertThat(histogram.isHistogram()).isTrue();
            assertThat(Double.parseDouble(histogram.histogramCount())).isEqualTo(s.total());
        }
    }

    @Test
    void quantilesAtBucketBoundsAreExactlyTheBoundOnBothServers() {
        int checked = 0;
        for (Series s : SERIES) {
            long total = s.total();
            for (int k = 0; k < s.counts().length; k++) {
                if (s.counts()[k] == 0) {
                    continue;
                }
                long cumulative = s.cumulative(k);
                double q = (double) cumulative / total;
                assertThat(q * total).as("q * total lands on the cumulative count").isEqualTo((double) cumulative);
                double nativeQuantile = quantile(nativeServer, q, s, "");
                double classicQuantile = quantile(classicServer, q, s, "_bucket");
                assertThat(nativeQuantile).as("native %s q=%s", s, q).isEqualTo(s.bounds()[k]);
                assertThat(classicQuantile).as("classic %s q=%s", s, q).isEqualTo(s.bounds()[k]);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(23);
    }

    @Test
    void betweenBoundsQuantilesAgreeExceptInTheFirstBucket() {
        StringBuilder report = new StringBuilder();
        for (Series s : SERIES) {
            if (s.total() == 0) {
                assertThat(quantile(nativeServer, 0.5, s, "")).isNaN();
                assertThat(quantile(classicServer, 0.5, s, "_bucket")).isNaN();
                continue;
            }
            double worstAbsolute = 0;
            double worstRelative = 0;
            int equal = 0;
            int differing = 0;
            for (int i = 1; i < 100; i++) {
                double q = i / 100.0;
                double rank = q * s.total();
                int k = s.bucketOf(rank);
                double nativeQuantile = quantile(nativeServer, q, s, "");
                double classicQuantile = quantile(classicServer, q, s, "_bucket");
                if (k != s.first()) {
                    assertThat(nativeQuantile).as("native = classic for %s q=%s", s, q).isEqualTo(classicQuantile);
                    equal++;
                    continue;
                }
                // Linear within the bucket: classic from 0 (or the zero bucket's 0), native from half the bound.
                double bound = s.bounds()[k];
                double fraction = (rank - (s.cumulative(k) - s.counts()[k])) / s.counts()[k];
                assertThat(classicQuantile).as("classic %s q=%s", s, q).isCloseTo(bound * fraction, within(bound * 1e-12));
                assertThat(nativeQuantile).as("native %s q=%s", s, q)
                        .isCloseTo(bound / 2 + bound / 2 * fraction, within(bound * 1e-12));
                worstAbsolute = Math.max(worstAbsolute, nativeQuantile - classicQuantile);
                worstRelative = Math.max(worstRelative, (nativeQuantile - classicQuantile) / nativeQuantile);
                differing++;
            }
            report.append(String.format(Locale.ROOT, "%s %s: %d q equal, %d q in the first bucket (bound %s), "
                            + "native - classic at most %s (%.1f%% of the native value)%n", s.family(), s.labels(), equal,
                    differing, s.bounds()[s.first()], worstAbsolute, worstRelative * 100));
        }
        System.out.print(report);
    }

    private static double quantile(PrometheusServer server, double q, Series s, String suffix) {
        var result = server.bySeries("histogram_quantile(" + q + ", " + selector(s, suffix) + ")");
        Map<String, String> key = key(s);
        assertThat(result).as("%s q=%s on the %s server", s, q, server == nativeServer ? "native" : "classic")
                .containsKey(key);
        return result.get(key).number();
    }

    @Test
    void theFlagOffAndNativeHistogramFalseServeClassicBucketsToTheNativeServer() {
        assertThat(names(nativeServer, "{__name__=~\"ebpf_exporter_.+_bucket\",job=\"flag_off\"}")).containsExactly(
                "ebpf_exporter_exp2_seconds_bucket", "ebpf_exporter_exp2zero_bytes_bucket", "ebpf_exporter_fixed_sizes_bucket",
                "ebpf_exporter_linear_items_bucket");
        assertThat(nativeServer.query("ebpf_exporter_percpu_exp2_seconds{job=\"flag_off\"}")).as("native_histogram: true wins")
                .hasSize(2).allMatch(PrometheusServer.Element::isHistogram);
        assertThat(names(nativeServer, "{__name__=~\"ebpf_exporter_.+_bucket\",job=\"config_off\"}")).containsExactly(
                "ebpf_exporter_exp2_seconds_bucket", "ebpf_exporter_fixed_sizes_bucket", "ebpf_exporter_linear_items_bucket");
        for (String family : List.of("percpu_exp2_seconds", "exp2zero_bytes")) {
            assertThat(nativeServer.query("ebpf_exporter_" + family + "{job=\"config_off\"}")).as(family)
                    .isNotEmpty().allMatch(PrometheusServer.Element::isHistogram);
        }
        // The classic buckets served instead are those the classic server has.
        Map<Map<String, String>, String> flagOff = new LinkedHashMap<>();
        values(nativeServer, "ebpf_exporter_exp2_seconds_bucket{job=\"flag_off\"}").forEach((labels, value) -> {
            Map<String, String> asDefault = new java.util.TreeMap<>(labels);
            asDefault.put("job", "default");
            flagOff.put(asDefault, value);
        });
        assertThat(flagOff).hasSize(4 * 28).isEqualTo(values(classicServer, "ebpf_exporter_exp2_seconds_bucket"));
    }
}
