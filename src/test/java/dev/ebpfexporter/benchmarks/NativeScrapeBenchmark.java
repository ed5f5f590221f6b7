package dev.ebpfexporter.benchmarks;

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
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bytes and time per scrape of 10,000 exp2 histograms (27 buckets, multiplier 2^-20, a realistic
 * fill: a peak and its neighbours, falling off by 4x per bucket, with an occasional empty bucket),
 * as a scraper sees them from the launched exporter ({@code ./ebpf_exporter}): Prometheus text,
 * protobuf with native histograms beside the classic buckets (the default), and protobuf with
 * classic buckets only (a second exporter started with {@code --no-metrics.native-histograms}),
 * each with and without gzip. The test fills the exporters' maps by map id (it runs as root), then
 * fetches {@code /metrics} with curl (its own {@code %{time_total}} per transfer), all cells
 * interleaved round by round. Writes {@code target/benchmarks/native.md}.
 *
 * <p>Run: {@code ./mvnw -q verify -Pbenchmarks -Dbenchmark=native} (knobs: {@code -Dbenchmark.rounds=7},
 * {@code -Dbenchmark.perRound=5}, {@code -Dbenchmark.histograms=10000})
 */
@Tag("benchmark")
class NativeScrapeBenchmark {
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 7);
    private static final int PER_ROUND = Integer.getInteger("benchmark.perRound", 5);
    private static final int HISTOGRAMS = Integer.getInteger("benchmark.histograms", 10_000);
    private static final int BUCKET_MAX = 26; // buckets 0..26, the sum at key 27
    private static final String TEXT = Curl.TEXT;
    private static final String PROTOBUF = Format.PROTOBUF.contentType().replace(" ", "");
    private static final String YAML = """
            metrics:
              histograms:
                - name: bench_seconds
                  help: Latency of something, by id
                  bucket_type: exp2
                  bucket_min: 0
                  bucket_max: %d
                  bucket_multiplier: 9.5367431640625e-07
                  labels:
                    - name: id
                      size: 4
                      decoders:
                        - name: uint
                    - name: bucket
                      size: 4
                      decoders:
                        - name: uint
            """.formatted(BUCKET_MAX);

    /** One column of the table: which exporter, what the scraper accepts. */
    record Cell(String title, LaunchedExporter exporter, String accept, boolean gzip, long storedSeries,
                List<Double> times, long[] bytes, double[] cpuMs) {
        Cell(String title, LaunchedExporter exporter, String accept, boolean gzip, long storedSeries) {
            this(title, exporter, accept, gzip, storedSeries, new ArrayList<>(), new long[1], new double[1]);
        }
    }

    @Benchmark("native")
    void nativeHistograms() throws Exception {
        BpfAvailability.require();
        Path root = BpfAvailability.projectRoot();
        Path out = BenchmarkOutput.dir();
        try (LaunchedExporter.ConfigDir dir = new LaunchedExporter.ConfigDir("native-bench")
                .add("bench", YAML, root.resolve("src/test/bpf/histogram_bench.bpf.o"));
             LaunchedExporter both = LaunchedExporter.launch(root, dir.path(), "bench", out.resolve("native-default.log"),
                     List.of());
             LaunchedExporter classic = LaunchedExporter.launch(root, dir.path(), "bench", out.resolve("native-off.log"),
                     List.of("--no-metrics.native-histograms"))) {
            int entries = fill(both);
            fill(classic);
            String text = new String(HttpGet.get(both.url()).body(), StandardCharsets.UTF_8);
            assertThat(text.contains("ebpf_exporter_bench_seconds_count{id=\"" + (HISTOGRAMS - 1) + "\"}")
                    && text.contains("ebpf_exporter_series_dropped_total{config=\"bench\",metric=\"bench_seconds\"} 0\n"))
                    .as("every histogram is served, none dropped").isTrue();
            long classicSeries = (long) HISTOGRAMS * (BUCKET_MAX + 2 + 2); // buckets, +Inf, _sum, _count
            List<Cell> cells = List.of(
                    new Cell("text", both, TEXT, false, classicSeries),
                    new Cell("text, gzip", both, TEXT, true, classicSeries),
                    new Cell("protobuf, native + classic buckets (default)", both, PROTOBUF, false, HISTOGRAMS),
                    new Cell("protobuf, native + classic buckets (default), gzip", both, PROTOBUF, true, HISTOGRAMS),
                    new Cell("protobuf, classic only (`--no-metrics.native-histograms`)", classic, PROTOBUF, false, classicSeries),
                    new Cell("protobuf, classic only (`--no-metrics.native-histograms`), gzip", classic, PROTOBUF, true,
                            classicSeries));
            for (Cell cell : cells) { // warm-up (JIT, connections), not reported
                Curl.fetch(cell.exporter().url(), cell.accept(), cell.gzip(), PER_ROUND);
            }
            for (int round = 0; round < ROUNDS; round++) {
                for (Cell cell : cells) {
                    cell.cpuMs()[0] += curl(cell);
                }
            }
            String table = table(cells, entries);
            Files.writeString(out.resolve("native.md"), table);
            System.out.println(table);
        }
    }

    /**
     * Fills the exporter's map, found by id among its fds, with {@link #HISTOGRAMS} histograms; the
     * same seed every time, so both exporters serve the same data. Returns the number of map entries.
     */
    private static int fill(LaunchedExporter exporter) throws Exception {
        Random random = new Random(15);
        ByteBuffer keys = ByteBuffer.allocate(HISTOGRAMS * (BUCKET_MAX + 2) * 8).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer values = ByteBuffer.allocate(HISTOGRAMS * (BUCKET_MAX + 2) * 8).order(ByteOrder.LITTLE_ENDIAN);
        int entries = 0;
        for (int id = 0; id < HISTOGRAMS; id++) {
            int peak = 4 + random.nextInt(16);
            long peakCount = 1 + random.nextInt(1_000_000);
            long sumUnits = 0;
            for (int k = Math.max(0, peak - 8); k <= Math.min(BUCKET_MAX, peak + 8); k++) {
                long count = peakCount >> (2 * Math.abs(k - peak));
                if (count == 0 || random.nextInt(10) == 0) {
                    continue; // beyond the tail, or an empty bucket inside it
                }
                keys.putInt(id).putInt(k);
                values.putLong(count);
                sumUnits += count * (3L << k) / 4; // three quarters up the bucket, in units of the multiplier
                entries++;
            }
            keys.putInt(id).putInt(BUCKET_MAX + 1);
            values.putLong(sumUnits);
            entries++;
        }
        try (BpfMaps.Owned owned = exporter.openMap("bench_seconds")) {
            BpfMap map = owned.map();
            BpfMaps.updateBatch(map, keys.array(), values.array(), entries, 0);
        }
        return entries;
    }

    /** One curl process fetching {@link #PER_ROUND} times; adds the times and size, returns the exporter's CPU ms meanwhile. */
    private static double curl(Cell cell) throws Exception {
        long cpuStart = cell.exporter().cpuMillis();
        for (Curl.Transfer transfer : Curl.fetch(cell.exporter().url(), cell.accept(), cell.gzip(), PER_ROUND)) {
            cell.times().add(transfer.millis());
            cell.bytes()[0] = transfer.bytes();
        }
        return cell.exporter().cpuMillis() - cpuStart;
    }

    private static double percentile(List<Double> values, double p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static String ms(double v) {
        return v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String table(List<Cell> cells, int entries) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("CPUs: ").append(Runtime.getRuntime().availableProcessors()).append(", load average at the end: ")
                .append(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]).append(", date: ")
                .append(ZonedDateTime.now()).append(", ").append(HISTOGRAMS).append(" histograms (").append(entries)
                .append(" map entries), ").append(ROUNDS).append(" rounds x ").append(PER_ROUND).append(" scrapes\n\n");
        out.append(BenchmarkOutput.table("| format | bytes per scrape | scrape time, median / p90 (ms) "
                + "| exporter CPU per scrape (ms) | series a Prometheus 2.42 stores |", "|---|---:|---:|---:|---:|", cells,
                cell -> String.format(Locale.ROOT, "| %s | %,d | %s / %s | %.1f | %,d |", cell.title(), cell.bytes()[0],
                        ms(percentile(cell.times(), 0.5)), ms(percentile(cell.times(), 0.9)),
                        cell.cpuMs()[0] / cell.times().size(), cell.storedSeries())));
        out.append("\nThe launched exporter (`./ebpf_exporter`, the launcher's JVM flags), its map filled by map id; "
                + "bytes are curl's `size_download` (gzipped where asked), times curl's `time_total` per transfer "
                + "(one connection per ").append(PER_ROUND).append(" scrapes, cells interleaved round by round), CPU the "
                + "exporter process's user + system time in 10 ms ticks over all transfers. Every scrape also carries "
                + "the exporter's own and JVM metrics (a few KB). Series stored: a classic histogram is 27 buckets, "
                + "`+Inf`, `_sum` and `_count`; a native one is one series (with `--enable-feature=native-histograms`).\n");
        return out.toString();
    }
}
