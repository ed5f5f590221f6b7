package dev.ebpfexporter.benchmarks;

import dev.ebpfexporter.metrics.MetricOptions;
import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.bpf.BpfMaps;
import dev.ebpfexporter.bpf.MapEntries;
import dev.ebpfexporter.bpf.MapType;
import dev.ebpfexporter.collector.BuildInfo;
import dev.ebpfexporter.collector.ExporterCollector;
import dev.ebpfexporter.collector.LoadedConfig;
import dev.ebpfexporter.config.BucketType;
import dev.ebpfexporter.config.CounterConfig;
import dev.ebpfexporter.config.DecoderConfig;
import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.config.HistogramConfig;
import dev.ebpfexporter.config.LabelConfig;
import dev.ebpfexporter.config.MetricConfig;
import dev.ebpfexporter.config.Source;
import dev.ebpfexporter.decoder.DecoderException;
import dev.ebpfexporter.decoder.DecoderRegistry;
import dev.ebpfexporter.http.WebServer;
import dev.ebpfexporter.metrics.HistogramBuckets;
import dev.ebpfexporter.metrics.LabelChain;
import dev.ebpfexporter.metrics.MapMetric;
import dev.ebpfexporter.metrics.MetricSource;
import dev.ebpfexporter.metrics.SeriesLimit;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.exposition.ByteBuf;
import dev.ebpfexporter.exposition.Exposition;
import dev.ebpfexporter.exposition.Format;
import dev.ebpfexporter.http.MetricsEndpoint;
import org.junit.jupiter.api.Tag;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scrape cost side by side, in one run, on real kernel hash maps filled with 1k, 10k and 100k
 * entries: (1) the floor, one bare batch read of the map into memory; (2) the reference exporter's
 * method, get-next-key + lookup per key, decoding every key and formatting its labels as text every
 * time; (3) our scrape, through the collector alone and through {@code /metrics} over HTTP.
 * Writes a markdown table to {@code target/benchmarks/scrape.md}.
 *
 * <p>Run: {@code ./mvnw -q verify -Pbenchmarks -Dbenchmark=scrape}
 */
@Tag("benchmark")
class ScrapeBenchmark {
    private static final int[] SIZES = {1_000, 10_000, 100_000};
    private static final int HISTOGRAM_KEYS_PER_SERIES = 20; // buckets 0..18, then the sum key 19
    private static final long BUDGET_NANOS = Long.getLong("benchmark.budgetMillis", 2_500) * 1_000_000;
    private static final int MAX_ITERATIONS = 400;
    private static final int MIN_ITERATIONS = 12;

    static {
        // As the launcher runs the server (see ebpf_exporter): TCP_NODELAY, or some response sizes
        // wait ~40 ms for the client's delayed ACK. Read once by the JDK server's configuration.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    enum Kind {
        UINT("u64 keys, `uint`"), KSYM("kernel addresses, `ksym`"), HISTOGRAM("histogram (u32 id, u32 bucket)");

        final String title;

        Kind(String title) {
            this.title = title;
        }
    }

    record Stats(double medianMs, double p99Ms, int iterations) {
        static Stats of(long[] nanos, int n) {
            long[] sorted = Arrays.copyOf(nanos, n);
            Arrays.sort(sorted);
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
            int p99 = Math.min(n - 1, (int) Math.ceil(0.99 * n) - 1);
            return new Stats(median / 1e6, sorted[p99] / 1e6, n);
        }
    }

    record Row(Kind kind, int entries, int series, int bodyBytes, Stats floor, Stats perKey, Stats collector,
               Stats http) {
    }

    interface Action {
        void run() throws Exception;
    }

    private static Stats measure(Action action) throws Exception {
        long warmupEnd = System.nanoTime() + BUDGET_NANOS / 3;
        int warm = 0;
        while (warm < 5 || (System.nanoTime() < warmupEnd && warm < MAX_ITERATIONS)) {
            action.run();
            warm++;
        }
        long[] nanos = new long[MAX_ITERATIONS];
        long end = System.nanoTime() + BUDGET_NANOS;
        int n = 0;
        while (n < MAX_ITERATIONS && (n < MIN_ITERATIONS || System.nanoTime() < end)) {
            long start = System.nanoTime();
            action.run();
            nanos[n++] = System.nanoTime() - start;
        }
        return Stats.of(nanos, n);
    }

    @Benchmark("scrape")
    void scrape() throws Exception {
        BpfAvailability.require();
        long[] kernelAddresses = kernelTextAddresses();
        List<Row> rows = new ArrayList<>();
        run(Kind.UINT, 10_000, kernelAddresses); // warm-up of every path (JIT, HTTP), not reported
        String kinds = System.getProperty("benchmark.kinds", "");
        String sizes = System.getProperty("benchmark.sizes", "");
        for (Kind kind : Kind.values()) {
            for (int entries : SIZES) {
                if ((!kinds.isBlank() && !Arrays.asList(kinds.split(",")).contains(kind.name().toLowerCase(Locale.ROOT)))
                        || (!sizes.isBlank() && !Arrays.asList(sizes.split(",")).contains(Integer.toString(entries)))) {
                    continue;
                }
                rows.add(run(kind, entries, kernelAddresses));
                System.out.println(format(rows.getLast()));
            }
        }
        String table = table(rows);
        Path out = BenchmarkOutput.dir().resolve("scrape.md");
        Files.writeString(out, table);
        System.out.println(table);
    }

    private static Row run(Kind kind, int entries, long[] kernelAddresses) throws Exception {
        DecoderRegistry decoders = DecoderRegistry.forSystem();
        MetricConfig config = config(kind);
        int keySize = config.keySize();
        try (BpfMaps.Owned owned = BpfMaps.create(MapType.HASH, "bench", keySize, 8, entries)) {
            BpfMap map = owned.map();
            fill(kind, map, entries, kernelAddresses);
            LongAdder errors = new LongAdder();
            MapMetric metric = MapMetric.bind(config, map, decoders::create, errors, new MetricOptions(SeriesLimit.DEFAULT, true));
            ExporterConfig exporterConfig = new ExporterConfig("bench", Path.of("bench.yaml"), Path.of("bench.bpf.o"),
                    config instanceof CounterConfig c ? List.of(c) : List.of(),
                    config instanceof HistogramConfig h ? List.of(h) : List.of(), List.of(), List.of(), Optional.empty());
            LoadedConfig loaded = new LoadedConfig(exporterConfig, null, List.of(), List.<MetricSource>of(metric),
                    errors, new dev.ebpfexporter.lifecycle.Resources("config bench"));
            ExporterCollector collector = new ExporterCollector(() -> List.of(loaded), BuildInfo.load());
            Exposition exposition = new Exposition(collector::parts);
            PerKeyScrape reference = new PerKeyScrape(config, map, decoders);

            // The same series either way.
            int series = metric.collect().size();
            assertThat(series).isEqualTo(reference.scrape().series());
            assertThat(errors.sum()).isZero();

            try (WebServer server = WebServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    dev.ebpfexporter.http.WebConfig.NONE, new WebServer.Endpoints("/metrics", new MetricsEndpoint(exposition), () -> "",
                            List::of, Optional.empty()), WebServer.Limits.DEFAULT)) {
                URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + "/metrics");
                HttpGet.Response first = HttpGet.get(uri);
                assertThat(first.status()).isEqualTo(200);
                int bodyBytes = first.body().length;

                Stats floor = measure(() -> consume(map.readAll()));
                Stats perKey = measure(() -> consume(reference.scrape()));
                ByteBuf buffer = new ByteBuf(1 << 20);
                Stats viaCollector = measure(() -> {
                    buffer.clear();
                    exposition.write(Format.TEXT, name -> true, buffer);
                    consume(buffer);
                });
                Stats viaHttp = measure(() -> {
                    HttpGet.Response response = HttpGet.get(uri);
                    if (response.status() != 200) {
                        throw new IllegalStateException("HTTP " + response.status());
                    }
                    consume(response.body());
                });
                return new Row(kind, entries, series, bodyBytes, floor, perKey, viaCollector, viaHttp);
            }
        }
    }

    private static volatile Object sink;

    private static void consume(Object o) {
        sink = o;
    }

    // ---- maps and configs ----

    private static LabelConfig label(String name, int size, String decoder) {
        return new LabelConfig(name, size, 0, List.of(DecoderConfig.named(decoder)), Source.NONE);
    }

    private static MetricConfig config(Kind kind) {
        return switch (kind) {
            case UINT -> new CounterConfig("bench_uint_total", "bench", "u64 ids", List.of(label("id", 8, "uint")),
                    false, java.time.Duration.ZERO, Source.NONE);
            case KSYM -> new CounterConfig("bench_ksym_total", "bench", "kernel functions",
                    List.of(label("function", 8, "ksym")), false, java.time.Duration.ZERO, Source.NONE);
            case HISTOGRAM -> new HistogramConfig("bench_latency_seconds", "bench", "latency", BucketType.EXP2, 1e-6,
                    0, HISTOGRAM_KEYS_PER_SERIES - 2, List.of(),
                    List.of(label("id", 4, "uint"), label("bucket", 4, "uint")), Source.NONE);
        };
    }

    private static void fill(Kind kind, BpfMap map, int entries, long[] kernelAddresses) throws BpfException {
        ByteBuffer keys = ByteBuffer.allocate(entries * map.keySize()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer values = ByteBuffer.allocate(entries * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < entries; i++) {
            switch (kind) {
                case UINT -> keys.putLong(1_000_000L + i * 7L);
                case KSYM -> keys.putLong(kernelAddresses[(int) ((long) i * kernelAddresses.length / entries)]);
                case HISTOGRAM -> keys.putInt(i / HISTOGRAM_KEYS_PER_SERIES).putInt(i % HISTOGRAM_KEYS_PER_SERIES);
            }
            values.putLong(1 + (i * 31L) % 1000);
        }
        BpfMaps.updateBatch(map, keys.array(), values.array(), entries, 0);
    }

    /** Distinct addresses of kernel text symbols from /proc/kallsyms, ascending. */
    static long[] kernelTextAddresses() throws IOException {
        TreeSet<Long> addresses = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/kallsyms"))) {
            String[] parts = line.split("\\s+", 4);
            if (parts.length >= 3 && (parts[1].equals("t") || parts[1].equals("T"))) {
                long address = Long.parseUnsignedLong(parts[0], 16);
                if (address != 0) {
                    addresses.add(address);
                }
            }
        }
        assertThat(addresses).as("readable kernel addresses (root, kptr_restrict)").hasSizeGreaterThan(100_000);
        return addresses.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * The reference exporter's scrape: walk the map with get-next-key + lookup per key, decode
     * every key with its decoders every time, aggregate by the joined label values, and format
     * every series as exposition text.
     */
    static final class PerKeyScrape {
        private final MetricConfig config;
        private final BpfMap map;
        private final List<LabelChain> chains = new ArrayList<>();
        private final HistogramBuckets buckets;
        private final String name;

        PerKeyScrape(MetricConfig config, BpfMap map, DecoderRegistry decoders) throws Exception {
            this.config = config;
            this.map = map;
            for (LabelConfig label : config.labels()) {
                chains.add(LabelChain.of(label, decoders::create));
            }
            this.buckets = config instanceof HistogramConfig h ? HistogramBuckets.of(h) : null;
            this.name = config.name();
        }

        record Result(int series, String text) {
        }

        Result scrape() throws BpfException, DecoderException {
            MapEntries entries = map.readKeyByKey();
            int labelCount = buckets == null ? chains.size() : chains.size() - 1;
            Map<String, String[]> labelsByKey = new HashMap<>();
            Map<String, long[]> values = new HashMap<>();
            int width = buckets == null ? 1 : buckets.size() + 1;
            int[] offsets = new int[chains.size()];
            for (int i = 1; i < chains.size(); i++) {
                offsets[i] = offsets[i - 1] + config.labels().get(i - 1).width();
            }
            for (int i = 0; i < entries.count(); i++) {
                int base = i * entries.keySize();
                String[] labelValues = new String[labelCount];
                for (int l = 0; l < labelCount; l++) {
                    labelValues[l] = chains.get(l).decode(entries.keys(), base + offsets[l],
                            config.labels().get(l).size());
                }
                String joined = String.join("\u0000", labelValues);
                labelsByKey.putIfAbsent(joined, labelValues);
                long[] slot = values.computeIfAbsent(joined, k -> new long[width]);
                if (buckets == null) {
                    slot[0] += entries.u64Sum(i);
                } else {
                    int last = chains.size() - 1;
                    double bucket = Double.parseDouble(chains.get(last).decode(entries.keys(), base + offsets[last],
                            config.labels().get(last).size()));
                    int index = buckets.indexOf(bucket);
                    if (index >= 0) {
                        slot[index] += entries.u64Sum(i);
                    } else if (buckets.isSumKey(bucket)) {
                        slot[width - 1] += entries.u64Sum(i);
                    }
                }
            }
            StringBuilder text = new StringBuilder(values.size() * 64);
            for (Map.Entry<String, long[]> series : values.entrySet()) {
                String[] labelValues = labelsByKey.get(series.getKey());
                long[] slot = series.getValue();
                if (buckets == null) {
                    line(text, name, labelValues, null, null).append(slot[0]).append('\n');
                } else {
                    long cumulative = 0;
                    double[] bounds = buckets.boundsWithInf();
                    for (int b = 0; b < buckets.size(); b++) {
                        cumulative += slot[b];
                        line(text, name + "_bucket", labelValues, "le", Double.toString(bounds[b]))
                                .append(cumulative).append('\n');
                    }
                    line(text, name + "_bucket", labelValues, "le", "+Inf").append(cumulative).append('\n');
                    line(text, name + "_sum", labelValues, null, null)
                            .append(slot[width - 1] * buckets.multiplier()).append('\n');
                    line(text, name + "_count", labelValues, null, null).append(cumulative).append('\n');
                }
            }
            return new Result(values.size(), text.toString());
        }

        private StringBuilder line(StringBuilder text, String metric, String[] labelValues, String extraName,
                                   String extraValue) {
            text.append(metric).append('{');
            for (int l = 0; l < labelValues.length; l++) {
                if (l > 0) {
                    text.append(',');
                }
                text.append(config.labels().get(l).name()).append("=\"")
                        .append(labelValues[l].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n"))
                        .append('"');
            }
            if (extraName != null) {
                text.append(labelValues.length > 0 ? "," : "").append(extraName).append("=\"").append(extraValue)
                        .append('"');
            }
            return text.append("} ");
        }
    }

    // ---- report ----

    private static String format(Row row) {
        return String.format(Locale.ROOT, "%-10s %7d entries %7d series: floor %.2f ms, per-key %.2f ms, collector %.2f ms,"
                        + " http %.2f ms", row.kind(), row.entries(), row.series(), row.floor().medianMs(),
                row.perKey().medianMs(), row.collector().medianMs(), row.http().medianMs());
    }

    private static String ms(Stats s) {
        return String.format(Locale.ROOT, "%.2f / %.2f", s.medianMs(), s.p99Ms());
    }

    private static String ratio(double a, double b) {
        return String.format(Locale.ROOT, "%.2fx", a / b);
    }

    static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append("Scrape cost, milliseconds, median / p99 (").append(rows.getFirst().floor().iterations() > 0 ? "" : "")
                .append("each cell: repeated for ").append(BUDGET_NANOS / 1_000_000).append(" ms or ")
                .append(MAX_ITERATIONS).append(" iterations, at least ").append(MIN_ITERATIONS).append(")\n\n");
        out.append("| map | entries | series | /metrics bytes | (1) floor: batch read | (2) per-key + format | "
                + "(3a) ours: collector | (3b) ours: HTTP /metrics | 3a/1 | 3b/1 | 2/3a | 2/3b |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            out.append("| ").append(row.kind().title).append(" | ").append(row.entries()).append(" | ")
                    .append(row.series()).append(" | ").append(row.bodyBytes()).append(" | ")
                    .append(ms(row.floor())).append(" | ").append(ms(row.perKey())).append(" | ")
                    .append(ms(row.collector())).append(" | ").append(ms(row.http())).append(" | ")
                    .append(ratio(row.collector().medianMs(), row.floor().medianMs())).append(" | ")
                    .append(ratio(row.http().medianMs(), row.floor().medianMs())).append(" | ")
                    .append(ratio(row.perKey().medianMs(), row.collector().medianMs())).append(" | ")
                    .append(ratio(row.perKey().medianMs(), row.http().medianMs())).append(" |\n");
        }
        out.append("\nRatios use medians. Generated ")
                .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append(".\n");
        return out.toString();
    }
}
