package dev.ebpfexporter.metrics;

import dev.ebpfexporter.bpf.MapEntries;
import dev.ebpfexporter.config.BucketType;
import dev.ebpfexporter.config.CounterConfig;
import dev.ebpfexporter.config.HistogramConfig;
import dev.ebpfexporter.config.SeriesOptions;
import dev.ebpfexporter.config.Source;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static dev.ebpfexporter.metrics.Fixtures.entries;
import static dev.ebpfexporter.metrics.Fixtures.key;
import static dev.ebpfexporter.metrics.Fixtures.row;
import static dev.ebpfexporter.metrics.Fixtures.text;
import static dev.ebpfexporter.metrics.Fixtures.uint;
import static org.assertj.core.api.Assertions.assertThat;

/** overflow_series folds what the series limit cuts into one series; expire_after deletes idle series' keys. */
class SeriesLifetimeTest {
    private static final SeriesOptions OVERFLOW = new SeriesOptions(null, Source.NONE, true);

    private static CounterConfig overflowCounter() {
        return new CounterConfig("pids_total", "pids_total", "help", List.of(uint("pid", 4), uint("cpu", 2)), false,
                Duration.ZERO, List.of(), OVERFLOW, new Source(Path.of("test.yaml"), 3));
    }

    @Test
    void whatTheLimitCutsIsSummedIntoOneOverflowSeriesWithinTheLimit() throws Exception {
        SeriesLimit limit = new SeriesLimit(3);
        var config = new CounterConfig("pids_total", "pids_total", "help", List.of(uint("pid", 4)), false,
                Duration.ZERO, List.of(), OVERFLOW, new Source(Path.of("test.yaml"), 3));
        var family = MapMetric.family(config, false, 4, Fixtures.DECODERS, new LongAdder(), limit);
        String text = text(family.apply(entries(4, 1, List.of(row(key(1, 4), 1), row(key(2, 4), 2),
                row(key(3, 4), 4), row(key(4, 4), 8), row(key(5, 4), 16)))));
        assertThat(text).isEqualTo("""
                # HELP ebpf_exporter_pids_total help
                # TYPE ebpf_exporter_pids_total counter
                ebpf_exporter_pids_total{pid="1"} 1
                ebpf_exporter_pids_total{pid="2"} 2
                ebpf_exporter_pids_total{pid="__overflow__"} 28
                """);
        assertThat(limit.dropped()).isEqualTo(3);
    }

    @Test
    void perCpuSeriesFoldIntoOneOverflowSeriesWhoseCpuIsOverflowToo() throws Exception {
        SeriesLimit limit = new SeriesLimit(3);
        var family = MapMetric.family(overflowCounter(), true, 4, Fixtures.DECODERS, new LongAdder(), limit);
        String text = text(family.apply(entries(4, 2, List.of(row(key(1, 4), 1, 2), row(key(2, 4), 4, 8)))));
        assertThat(text).contains("ebpf_exporter_pids_total{cpu=\"0\",pid=\"1\"} 1\n",
                "ebpf_exporter_pids_total{cpu=\"1\",pid=\"1\"} 2\n",
                "ebpf_exporter_pids_total{cpu=\"__overflow__\",pid=\"__overflow__\"} 12\n");
        assertThat(text.lines().filter(l -> l.startsWith("ebpf_exporter_pids_total{"))).hasSize(3);
    }

    @Test
    void withoutOverflowSeriesTheCutIsLeftOut() throws Exception {
        SeriesLimit limit = new SeriesLimit(3);
        var family = MapMetric.family(Fixtures.counter("pids_total", uint("pid", 4)), false, 4, Fixtures.DECODERS,
                new LongAdder(), limit);
        String text = text(family.apply(entries(4, 1, List.of(row(key(1, 4), 1), row(key(2, 4), 2),
                row(key(3, 4), 4), row(key(4, 4), 8)))));
        assertThat(text).doesNotContain("__overflow__");
        assertThat(text.lines().filter(l -> l.startsWith("ebpf_exporter_pids_total{"))).hasSize(3);
    }

    @Test
    void histogramBucketsOfCutSeriesAddUpInTheOverflowSeries() throws Exception {
        var config = new HistogramConfig("latency_seconds", "latency_seconds", "help", BucketType.EXP2, 1, 0, 1,
                List.of(), List.of(uint("op", 4), uint("bucket", 4)), false, OVERFLOW, new Source(Path.of("t.yaml"), 5));
        var family = MapMetric.family(config, false, 8, Fixtures.DECODERS, new LongAdder(), new SeriesLimit(2));
        String text = text(family.apply(entries(8, 1, List.of(row(key(1, 4, 0, 4), 1), row(key(2, 4, 0, 4), 2),
                row(key(3, 4, 1, 4), 4), row(key(3, 4, 2, 4), 5)))));
        assertThat(text).isEqualTo("""
                # HELP ebpf_exporter_latency_seconds help
                # TYPE ebpf_exporter_latency_seconds histogram
                ebpf_exporter_latency_seconds_bucket{op="1",le="1"} 1
                ebpf_exporter_latency_seconds_bucket{op="1",le="2"} 1
                ebpf_exporter_latency_seconds_bucket{op="1",le="+Inf"} 1
                ebpf_exporter_latency_seconds_sum{op="1"} 0
                ebpf_exporter_latency_seconds_count{op="1"} 1
                ebpf_exporter_latency_seconds_bucket{op="__overflow__",le="1"} 2
                ebpf_exporter_latency_seconds_bucket{op="__overflow__",le="2"} 6
                ebpf_exporter_latency_seconds_bucket{op="__overflow__",le="+Inf"} 6
                ebpf_exporter_latency_seconds_sum{op="__overflow__"} 5
                ebpf_exporter_latency_seconds_count{op="__overflow__"} 6
                """);
    }

    /** A map for {@link KeyExpiry}: what was deleted, and the entries as a read would give them. */
    private static final class FakeMap implements KeyExpiry.Deleter {
        final Set<Long> deleted = new HashSet<>();

        @Override
        public boolean delete(byte[] key) {
            return deleted.add((long) key[0]);
        }
    }

    private static MapEntries read(long[][] keyAndValue) {
        List<java.util.Map.Entry<byte[], long[]>> rows = new ArrayList<>();
        for (long[] kv : keyAndValue) {
            rows.add(row(key(kv[0], 4), kv[1]));
        }
        return entries(4, 1, rows);
    }

    @Test
    void keysWhoseSeriesDidNotChangeForTheTimeAreDeletedAndCounted() throws Exception {
        AtomicLong now = new AtomicLong();
        KeyExpiry expiry = new KeyExpiry(Duration.ofSeconds(10), now::get);
        FakeMap map = new FakeMap();
        // Keys 1 and 2 are one series (they decode alike), key 3 another, key 4 in none (a decoder dropped it).
        int[] seriesOf = {0, 0, 1, -1};
        expiry.scrape(read(new long[][] {{1, 5}, {2, 5}, {3, 5}, {4, 5}}), i -> seriesOf[i], 2, map);
        now.set(Duration.ofSeconds(9).toNanos());
        // Key 2 changes: key 1, unchanged, stays with it.
        assertThat(expiry.scrape(read(new long[][] {{1, 5}, {2, 6}, {3, 5}, {4, 5}}), i -> seriesOf[i], 2, map)).isZero();
        now.set(Duration.ofSeconds(10).toNanos());
        assertThat(expiry.scrape(read(new long[][] {{1, 5}, {2, 6}, {3, 5}, {4, 5}}), i -> seriesOf[i], 2, map))
                .isEqualTo(2);
        assertThat(map.deleted).containsExactlyInAnyOrder(3L, 4L);
        now.set(Duration.ofSeconds(19).toNanos());
        int[] left = {0, 0};
        assertThat(expiry.scrape(read(new long[][] {{1, 5}, {2, 6}}), i -> left[i], 1, map)).isEqualTo(2);
        assertThat(map.deleted).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
        assertThat(expiry.expired()).isEqualTo(4);
    }

    @Test
    void aKeyIsNewWhenFirstSeenAndAChangedValueStartsItsTimeAgain() throws Exception {
        AtomicLong now = new AtomicLong();
        KeyExpiry expiry = new KeyExpiry(Duration.ofSeconds(10), now::get);
        FakeMap map = new FakeMap();
        int[] own = {-1, -1};
        expiry.scrape(read(new long[][] {{1, 1}}), i -> own[i], 0, map);
        now.set(Duration.ofSeconds(8).toNanos());
        // Key 2 appears, key 1 (listed second now: another order) changes.
        expiry.scrape(read(new long[][] {{2, 1}, {1, 2}}), i -> own[i], 0, map);
        now.set(Duration.ofSeconds(17).toNanos());
        assertThat(expiry.scrape(read(new long[][] {{2, 1}, {1, 2}}), i -> own[i], 0, map)).isZero();
        now.set(Duration.ofSeconds(18).toNanos());
        assertThat(expiry.scrape(read(new long[][] {{2, 1}, {1, 2}}), i -> own[i], 0, map)).isEqualTo(2);
    }
}
