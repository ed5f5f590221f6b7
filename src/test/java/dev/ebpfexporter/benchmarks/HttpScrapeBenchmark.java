package dev.ebpfexporter.benchmarks;

import dev.ebpfexporter.metrics.MetricOptions;
import dev.ebpfexporter.bpf.BpfException;
import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.bpf.BpfMaps;
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
import dev.ebpfexporter.decoder.DecoderRegistry;
import dev.ebpfexporter.exposition.CachedRegistry;
import dev.ebpfexporter.exposition.Exposition;
import dev.ebpfexporter.exposition.Format;
import dev.ebpfexporter.exposition.ScrapePart;
import dev.ebpfexporter.http.MetricsEndpoint;
import dev.ebpfexporter.http.WebConfig;
import dev.ebpfexporter.http.WebServer;
import dev.ebpfexporter.metrics.MapMetric;
import dev.ebpfexporter.metrics.MetricSource;
import dev.ebpfexporter.metrics.SeriesLimit;
import dev.ebpfexporter.testing.BpfAvailability;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a scraper sees: {@code /metrics} fetched over loopback HTTP by curl (a separate process,
 * timing each transfer itself with {@code %{time_total}}) from our server with the JVM metrics on,
 * interleaved in the same run with one bare batch read of the same kernel map (the floor), at 0,
 * 1k, 10k and 100k series for a u64 key, a 2-label struct key and a histogram; text, protobuf and
 * gzipped text; plus the server's CPU per scrape and the body sizes. Prints a markdown table and
 * writes it to {@code target/benchmarks/http.md}.
 *
 * <p>Run: {@code ./mvnw -q verify -Pbenchmarks -Dbenchmark=http} (knobs: {@code -Dbenchmark.rounds=7},
 * {@code -Dbenchmark.perRound=5}, {@code -Dbenchmark.sizes=0,1000,10000,100000}, {@code -Dbenchmark.kinds=u64,struct,histogram})
 */
@Tag("benchmark")
class HttpScrapeBenchmark {
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 7);
    private static final int PER_ROUND = Integer.getInteger("benchmark.perRound", 5);
    private static final int KEYS_PER_HISTOGRAM = 20; // exp2 buckets 0..18, then the sum key

    enum Kind {
        U64("u64 key"), STRUCT("2-label struct key (u32, u32)"), HISTOGRAM("histogram (u32 id, u32 bucket)");

        final String title;

        Kind(String title) {
            this.title = title;
        }
    }

    /** Milliseconds: min / median / max. */
    record Spread(double min, double median, double max) {
        static Spread of(List<Double> values) {
            double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            return new Spread(v[0], median, v[v.length - 1]);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s / %s / %s", ms(min), ms(median), ms(max));
        }
    }

    record Row(Kind kind, int series, Spread floor, Spread text, Spread protobuf, Spread gzip, double cpuText,
               double cpuProtobuf, double cpuGzip, int textBytes, int protobufBytes, int gzipBytes) {
    }

    @Test
    @EnabledIf("dev.ebpfexporter.benchmarks.BenchmarkSelection#http")
    void http() throws Exception {
        BpfAvailability.require();
        List<Row> rows = new ArrayList<>();
        measure(Kind.U64, 10_000); // warm-up (JIT, HTTP), not reported
        for (Kind kind : Kind.values()) {
            if (!selected("benchmark.kinds", kind.name().toLowerCase(Locale.ROOT))) {
                continue;
            }
            for (int series : new int[]{0, 1_000, 10_000, 100_000}) {
                if (selected("benchmark.sizes", Integer.toString(series))) {
                    rows.add(measure(kind, series));
                    System.out.println(line(rows.getLast()));
                }
            }
        }
        String table = table(rows);
        Path out = BpfAvailability.projectRoot().resolve("target/benchmarks/http.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        System.out.println(table);
    }

    private static boolean selected(String property, String value) {
        String wanted = System.getProperty(property, "");
        return wanted.isBlank() || Arrays.asList(wanted.split(",")).contains(value);
    }

    private static Row measure(Kind kind, int series) throws Exception {
        MetricConfig config = config(kind);
        int entries = kind == Kind.HISTOGRAM ? series * KEYS_PER_HISTOGRAM / 20 : series; // 100k keys = 5k histograms
        try (BpfMaps.Owned owned = BpfMaps.create(MapType.HASH, "bench", config.keySize(), 8, Math.max(entries, 1))) {
            BpfMap map = owned.map();
            fill(kind, map, entries);
            LongAdder errors = new LongAdder();
            MapMetric metric = MapMetric.bind(config, map, DecoderRegistry.forSystem()::create, errors, new MetricOptions(SeriesLimit.DEFAULT, true));
            ExporterConfig exporterConfig = new ExporterConfig("bench", Path.of("bench.yaml"), Path.of("bench.bpf.o"),
                    config instanceof CounterConfig c ? List.of(c) : List.of(),
                    config instanceof HistogramConfig h ? List.of(h) : List.of(), List.of(), List.of(), Optional.empty());
            LoadedConfig loaded = new LoadedConfig(exporterConfig, null, List.of(), List.<MetricSource>of(metric),
                    List.of(), List.of(), errors);
            ExporterCollector collector = new ExporterCollector(() -> List.of(loaded), BuildInfo.load());
            // As Main wires it: the JVM metrics through client_java, cached for a second.
            PrometheusRegistry jvmRegistry = new PrometheusRegistry();
            JvmMetrics.builder().register(jvmRegistry);
            ScrapePart jvm = new CachedRegistry(jvmRegistry, Duration.ofSeconds(1)).part("jvm");
            Exposition exposition = new Exposition(() -> {
                List<ScrapePart> parts = new ArrayList<>(collector.parts());
                parts.add(jvm);
                return parts;
            });
            try (WebServer server = WebServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    WebConfig.NONE, new WebServer.Endpoints("/metrics", new MetricsEndpoint(exposition), () -> "",
                            () -> true, Optional.empty()), WebServer.Limits.DEFAULT)) {
                String url = "http://127.0.0.1:" + server.port() + "/metrics";
                List<Double> floor = new ArrayList<>();
                List<Double> text = new ArrayList<>();
                List<Double> protobuf = new ArrayList<>();
                List<Double> gzip = new ArrayList<>();
                double[] cpu = new double[3];
                int[] bytes = new int[3];
                for (int round = 0; round < ROUNDS; round++) {
                    for (int i = 0; i < PER_ROUND; i++) {
                        long start = System.nanoTime();
                        if (map.readAll().count() != entries) {
                            throw new IllegalStateException("short read");
                        }
                        floor.add((System.nanoTime() - start) / 1e6);
                    }
                    cpu[0] += curl(url, text, bytes, 0, "Accept: text/plain;version=0.0.4", null);
                    cpu[1] += curl(url, protobuf, bytes, 1, "Accept: " + Format.PROTOBUF.contentType().replace(" ", ""), null);
                    cpu[2] += curl(url, gzip, bytes, 2, "Accept: text/plain;version=0.0.4", "gzip");
                }
                int scrapes = ROUNDS * PER_ROUND;
                return new Row(kind, metric.collect().size(), Spread.of(floor), Spread.of(text), Spread.of(protobuf),
                        Spread.of(gzip), cpu[0] / scrapes, cpu[1] / scrapes, cpu[2] / scrapes, bytes[0], bytes[1], bytes[2]);
            }
        }
    }

    /**
     * One curl process fetching the URL {@link #PER_ROUND} times over one connection; adds each
     * transfer's time to {@code times}, returns the server's CPU milliseconds meanwhile (this JVM's).
     */
    private static double curl(String url, List<Double> times, int[] bytes, int column, String accept,
                               String encoding) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-H", accept));
        if (encoding != null) {
            command.addAll(List.of("-H", "Accept-Encoding: " + encoding));
        }
        for (int i = 0; i < PER_ROUND; i++) {
            command.addAll(List.of("-o", "/dev/null", "-w", "%{http_code} %{time_total} %{size_download}\\n", url));
        }
        long cpuStart = processCpuNanos();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("curl failed: " + out);
        }
        double cpuMs = (processCpuNanos() - cpuStart) / 1e6;
        for (String line : out.strip().split("\n")) {
            String[] f = line.trim().split(" ");
            if (!f[0].equals("200")) {
                throw new IllegalStateException("HTTP " + f[0]);
            }
            times.add(Double.parseDouble(f[1]) * 1000);
            bytes[column] = Integer.parseInt(f[2]);
        }
        return cpuMs;
    }

    /** User + system CPU of this JVM (all threads, GC and JIT included), from /proc in 10 ms ticks. */
    private static long processCpuNanos() throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    }

    private static LabelConfig label(String name, int size) {
        return new LabelConfig(name, size, 0, List.of(DecoderConfig.named("uint")), Source.NONE);
    }

    private static MetricConfig config(Kind kind) {
        return switch (kind) {
            case U64 -> new CounterConfig("bench_u64_total", "bench", "u64 ids", List.of(label("id", 8)),
                    false, Duration.ZERO, Source.NONE);
            case STRUCT -> new CounterConfig("bench_struct_total", "bench", "pid and cpu",
                    List.of(label("pid", 4), label("slot", 4)), false, Duration.ZERO, Source.NONE);
            case HISTOGRAM -> new HistogramConfig("bench_latency_seconds", "bench", "latency", BucketType.EXP2, 1e-6,
                    0, KEYS_PER_HISTOGRAM - 2, List.of(), List.of(label("id", 4), label("bucket", 4)), Source.NONE);
        };
    }

    private static void fill(Kind kind, BpfMap map, int entries) throws BpfException {
        if (entries == 0) {
            return;
        }
        ByteBuffer keys = ByteBuffer.allocate(entries * map.keySize()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer values = ByteBuffer.allocate(entries * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < entries; i++) {
            switch (kind) {
                case U64 -> keys.putLong(1_000_000L + i * 7L);
                case STRUCT -> keys.putInt(1000 + i / 8).putInt(i % 8);
                case HISTOGRAM -> keys.putInt(i / KEYS_PER_HISTOGRAM).putInt(i % KEYS_PER_HISTOGRAM);
            }
            values.putLong(1 + (i * 31L) % 1000);
        }
        BpfMaps.updateBatch(map, keys.array(), values.array(), entries, 0);
    }

    private static String ms(double v) {
        return v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String ratio(Spread a, Spread floor) {
        return floor.median() <= 0 ? "-" : String.format(Locale.ROOT, "%.2fx", a.median() / floor.median());
    }

    private static String line(Row r) {
        return String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s | %s | %.2f / %.2f / %.2f | %,d / %,d / %,d |",
                r.kind().title, r.series(), r.floor(), r.text(), ratio(r.text(), r.floor()), r.protobuf(),
                ratio(r.protobuf(), r.floor()), r.gzip(), r.cpuText(), r.cpuProtobuf(), r.cpuGzip(),
                r.textBytes(), r.protobufBytes(), r.gzipBytes());
    }

    static String table(List<Row> rows) throws java.io.IOException {
        StringBuilder out = new StringBuilder();
        out.append("CPUs: ").append(Runtime.getRuntime().availableProcessors()).append(", load average at the end: ")
                .append(Files.readString(Path.of("/proc/loadavg")).split(" ")[0])
                .append(", date: ").append(ZonedDateTime.now()).append(", ").append(ROUNDS).append(" rounds x ")
                .append(PER_ROUND).append(" scrapes\n\n");
        out.append("| map | series | floor: batch read (ms) | HTTP text (ms) | text / floor | HTTP protobuf (ms) "
                + "| protobuf / floor | HTTP text+gzip (ms) | server CPU per scrape, text / protobuf / gzip (ms) "
                + "| bytes text / protobuf / gzip |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            out.append(line(row)).append('\n');
        }
        out.append("\nTimes are min / median / max; ratios use medians. HTTP times are curl's own `time_total` per "
                + "transfer (a separate process, one connection per 5 scrapes); the floor is one `BPF_MAP_LOOKUP_BATCH` "
                + "read of the whole map, interleaved with the scrapes in the same run. Server CPU is this JVM's CPU "
                + "time (all threads, GC and JIT included, 10 ms ticks summed over all transfers) during the transfers. The histogram rows "
                + "have 20 map keys per series (exp2 buckets 0..18 and the sum).\n");
        return out.toString();
    }
}
