package dev.ebpfexporter.benchmarks;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.bpf.BpfMaps;
import dev.ebpfexporter.exposition.Format;
import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Tag;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a scraper sees from the launched exporter ({@code ./ebpf_exporter}, the launcher's JVM flags,
 * one exporter per map shape loading {@code src/test/bpf/http_bench.bpf.o}): {@code /metrics}
 * fetched over loopback HTTP by curl (a separate process, timing each transfer itself), interleaved
 * in the same run with one bare batch read of the same kernel map through an fd this benchmark opened
 * by map id (the floor), at 0, 1k, 10k and 100k map entries for a u64 key, a 2-label struct key and
 * a histogram; text, protobuf and gzipped text; plus the exporter process's CPU per scrape and the
 * body sizes. The benchmark fills the exporter's map by map id (it runs as root), growing it from one
 * row to the next. Prints a markdown table and writes it to {@code target/benchmarks/http.md}.
 *
 * <p>Run: {@code ./mvnw -q verify -Pbenchmarks -Dbenchmark=http} (knobs: {@code -Dbenchmark.rounds=7},
 * {@code -Dbenchmark.perRound=5}, {@code -Dbenchmark.sizes=0,1000,10000,100000},
 * {@code -Dbenchmark.kinds=u64,struct,histogram})
 */
@Tag("benchmark")
class HttpScrapeBenchmark {
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 7);
    private static final int PER_ROUND = Integer.getInteger("benchmark.perRound", 5);
    private static final int WARMUP_ROUNDS = 2; // per row, not reported: JIT and a new key set's first scrapes
    private static final int KEYS_PER_HISTOGRAM = 20; // exp2 buckets 0..18, then the sum key
    private static final String PROTOBUF = Format.PROTOBUF.contentType().replace(" ", "");
    private static final String LABEL = """
                    - name: %s
                      size: %d
                      decoders:
                        - name: uint
            """;

    enum Kind {
        U64("u64 key", "http_u64_total", "ebpf_exporter_http_u64_total{", """
                metrics:
                  counters:
                    - name: http_u64_total
                      help: Events by u64 id
                      labels:
                """ + LABEL.formatted("id", 8)),
        STRUCT("2-label struct key (u32, u32)", "http_pair_total", "ebpf_exporter_http_pair_total{", """
                metrics:
                  counters:
                    - name: http_pair_total
                      help: Events by pid and slot
                      labels:
                """ + LABEL.formatted("pid", 4) + LABEL.formatted("slot", 4)),
        HISTOGRAM("histogram (u32 id, u32 bucket)", "http_seconds", "ebpf_exporter_http_seconds_count{", """
                metrics:
                  histograms:
                    - name: http_seconds
                      help: Latency by id
                      bucket_type: exp2
                      bucket_min: 0
                      bucket_max: %d
                      bucket_multiplier: 0.000001
                      labels:
                """.formatted(KEYS_PER_HISTOGRAM - 2) + LABEL.formatted("id", 4) + LABEL.formatted("bucket", 4));

        final String title;
        final String map;
        final String seriesPrefix;
        final String yaml;

        Kind(String title, String map, String seriesPrefix, String yaml) {
            this.title = title;
            this.map = map;
            this.seriesPrefix = seriesPrefix;
            this.yaml = yaml;
        }

        String config() {
            return name().toLowerCase(Locale.ROOT);
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
               double cpuProtobuf, double cpuGzip, long textBytes, long protobufBytes, long gzipBytes) {
    }

    /** One format's column: what the scraper accepts, and what it saw. */
    record Column(String accept, boolean gzip, List<Double> times, long[] bytes, double[] cpuMs) {
        Column(String accept, boolean gzip) {
            this(accept, gzip, new ArrayList<>(), new long[1], new double[1]);
        }
    }

    @Benchmark("http")
    void http() throws Exception {
        BpfAvailability.require();
        Path root = BpfAvailability.projectRoot();
        Path out = BenchmarkOutput.dir();
        List<Integer> sizes = new ArrayList<>();
        for (int entries : new int[]{0, 1_000, 10_000, 100_000}) {
            if (BenchmarkSelection.listed("benchmark.sizes", Integer.toString(entries))) {
                sizes.add(entries);
            }
        }
        List<Kind> kinds = Arrays.stream(Kind.values()).filter(k -> BenchmarkSelection.listed("benchmark.kinds", k.config())).toList();
        String table = table(rows(root, kinds, sizes));
        Files.writeString(out.resolve("http.md"), table);
        System.out.println(table);
    }

    /** A row per map shape and size (ascending), each shape served by its own launched exporter. */
    static List<Row> rows(Path root, List<Kind> kinds, List<Integer> sizes) throws Exception {
        Path out = BenchmarkOutput.dir();
        List<Row> rows = new ArrayList<>();
        try (LaunchedExporter.ConfigDir dir = new LaunchedExporter.ConfigDir("http-bench")) {
            for (Kind kind : kinds) {
                dir.add(kind.config(), kind.yaml, root.resolve("src/test/bpf/http_bench.bpf.o"));
                measure(root, dir.path(), out, kind, sizes, rows);
            }
        }
        return rows;
    }

    /** One exporter for this shape; its map grows from one row's size to the next. */
    private static void measure(Path root, Path dir, Path out, Kind kind, List<Integer> sizes, List<Row> rows)
            throws Exception {
        try (LaunchedExporter exporter = LaunchedExporter.launch(root, dir, kind.config(),
                out.resolve("http-" + kind.config() + ".log"), List.of());
             BpfMaps.Owned owned = exporter.openMap(kind.map)) {
            int filled = 0;
            for (int entries : sizes) {
                fill(kind, owned.map(), filled, entries);
                filled = entries;
                rows.add(measure(kind, exporter, owned.map(), entries));
                System.out.println(line(rows.getLast()));
            }
        }
    }

    private static Row measure(Kind kind, LaunchedExporter exporter, BpfMap map, int entries) throws Exception {
        int series = servedSeries(kind, exporter);
        int expected = kind == Kind.HISTOGRAM ? entries / KEYS_PER_HISTOGRAM : entries;
        assertThat(series).as("series served by the exporter for %d map entries", entries).isEqualTo(expected);
        List<Column> columns = List.of(new Column(Curl.TEXT, false), new Column(PROTOBUF, false),
                new Column(Curl.TEXT, true));
        for (int round = 0; round < WARMUP_ROUNDS; round++) {
            map.readAll(); // the first read of an fd allocates its buffers
            for (Column column : columns) {
                Curl.fetch(exporter.url(), column.accept(), column.gzip(), PER_ROUND);
            }
        }
        List<Double> floor = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < PER_ROUND; i++) {
                long start = System.nanoTime();
                if (map.readAll().count() != entries) {
                    throw new IllegalStateException("short read of map " + map.name());
                }
                floor.add((System.nanoTime() - start) / 1e6);
            }
            for (Column column : columns) {
                long cpuStart = exporter.cpuMillis();
                for (Curl.Transfer transfer : Curl.fetch(exporter.url(), column.accept(), column.gzip(), PER_ROUND)) {
                    column.times().add(transfer.millis());
                    column.bytes()[0] = transfer.bytes();
                }
                column.cpuMs()[0] += exporter.cpuMillis() - cpuStart;
            }
        }
        int scrapes = ROUNDS * PER_ROUND;
        Column text = columns.get(0);
        Column protobuf = columns.get(1);
        Column gzip = columns.get(2);
        return new Row(kind, series, Spread.of(floor), Spread.of(text.times()), Spread.of(protobuf.times()),
                Spread.of(gzip.times()), text.cpuMs()[0] / scrapes, protobuf.cpuMs()[0] / scrapes,
                gzip.cpuMs()[0] / scrapes, text.bytes()[0], protobuf.bytes()[0], gzip.bytes()[0]);
    }

    /** The benchmark metric's series in one text scrape; none may have been cut by the series limit. */
    private static int servedSeries(Kind kind, LaunchedExporter exporter) throws IOException {
        String text = new String(HttpGet.get(exporter.url()).body(), StandardCharsets.UTF_8);
        assertThat(text).as("nothing dropped")
                .contains("ebpf_exporter_series_dropped_total{config=\"" + kind.config() + "\",metric=\"" + kind.map + "\"} 0\n");
        return (int) text.lines().filter(line -> line.startsWith(kind.seriesPrefix)).count();
    }

    /** Writes map entries {@code from} (inclusive) to {@code to} (exclusive); the earlier ones stay as they are. */
    static void fill(Kind kind, BpfMap map, int from, int to) throws BpfException {
        if (to <= from) {
            return;
        }
        ByteBuffer keys = ByteBuffer.allocate((to - from) * map.keySize()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer values = ByteBuffer.allocate((to - from) * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = from; i < to; i++) {
            switch (kind) {
                case U64 -> keys.putLong(1_000_000L + i * 7L);
                case STRUCT -> keys.putInt(1000 + i / 8).putInt(i % 8);
                case HISTOGRAM -> keys.putInt(i / KEYS_PER_HISTOGRAM).putInt(i % KEYS_PER_HISTOGRAM);
            }
            values.putLong(1 + (i * 31L) % 1000);
        }
        BpfMaps.updateBatch(map, keys.array(), values.array(), to - from, 0);
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

    static String table(List<Row> rows) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("CPUs: ").append(Runtime.getRuntime().availableProcessors()).append(", load average at the end: ")
                .append(Files.readString(Path.of("/proc/loadavg")).split(" ")[0])
                .append(", date: ").append(ZonedDateTime.now()).append(", ").append(ROUNDS).append(" rounds x ")
                .append(PER_ROUND).append(" scrapes\n\n");
        out.append(BenchmarkOutput.table("| map | series | floor: batch read (ms) | HTTP text (ms) | text / floor "
                + "| HTTP protobuf (ms) | protobuf / floor | HTTP text+gzip (ms) "
                + "| exporter CPU per scrape, text / protobuf / gzip (ms) | bytes text / protobuf / gzip |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|", rows, HttpScrapeBenchmark::line));
        out.append("\nThe launched exporter (`./ebpf_exporter`, the launcher's JVM flags, default flags), one per map "
                + "shape, its map filled by map id. Times are min / median / max; ratios use medians. HTTP times are "
                + "curl's own `time_total` per transfer (a separate process, one connection per ").append(PER_ROUND)
                .append(" scrapes, after ").append(WARMUP_ROUNDS).append(" unreported rounds); the floor is one "
                + "`BPF_MAP_LOOKUP_BATCH` read of the whole map by the benchmark, through its own fd on the same kernel "
                + "map, interleaved with the scrapes in the same run. Exporter CPU is the exporter process's user + "
                + "system time (all threads, GC and JIT included, 10 ms ticks summed over all transfers) during the "
                + "transfers. Every scrape also carries the exporter's own and JVM metrics (a few KB). The histogram "
                + "rows have 20 map keys per series (exp2 buckets 0..18 and the sum).\n");
        return out.toString();
    }
}
