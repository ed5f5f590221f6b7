package dev.ebpfexporter.metrics;

import dev.ebpfexporter.testing.LogCapture;
import static org.assertj.core.api.Assertions.assertThat;


import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.bpf.BpfMaps;
import dev.ebpfexporter.bpf.MapType;
import dev.ebpfexporter.config.CounterConfig;
import dev.ebpfexporter.config.DecoderConfig;
import dev.ebpfexporter.config.LabelConfig;
import dev.ebpfexporter.config.Source;
import dev.ebpfexporter.decoder.Decoder;
import dev.ebpfexporter.decoder.DecoderRegistry;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.exposition.Family;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.function.LongUnaryOperator;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --metrics.series-limit} caps work, not only output: with 300k keys in a map and a limit of
 * 1000, a scrape decodes about 1000 keys, and what it allocates is bounded by the limit plus the
 * raw read (the keys and values as read), not by decoded label sets for every key.
 */
class SeriesLimitWorkTest {
    private static final int KEYS = 300_000;
    private static final int LIMIT = 1000;

    @BeforeEach
    void needsBpf() {
        BpfAvailability.require();
    }

    @Test
    void decodingStopsAtTheLimit() throws Exception {
        try (BpfMaps.Owned owned = keysCountingOne(k -> k)) {
            BpfMap map = owned.map();
            LongAdder decoded = new LongAdder();
            DecoderFactory counting = (config, size) -> {
                Decoder decoder = DecoderRegistry.forSystem().create(config, size);
                return in -> {
                    decoded.increment();
                    return decoder.decode(in);
                };
            };
            MapMetric metric = MapMetric.bind(things(new Source(java.nio.file.Path.of("many.yaml"), 3)), map, counting, new LongAdder(), new MetricOptions(LIMIT, true));

            long before = allocatedByThisThread();
            Family family;
            try (LogCapture log = LogCapture.of(SeriesLimit.class)) {
                family = metric.collect();
                long allocated = allocatedByThisThread() - before;
                metric.collect();
                assertThat(log.messages()).containsExactly(
                        "many.yaml:3: metric things_total: over the series limit of 1000 (--metrics.series-limit): 299000 series"
                                + " cut from the scrape, and cut from every scrape while the map holds them; counted in"
                                + " ebpf_exporter_series_dropped_total and shown on / (logged once per metric)");
                before = allocated;
            }
            long allocated = before;

            assertThat(family.size()).isEqualTo(LIMIT);
            assertThat(decoded.sum()).isEqualTo(LIMIT);
            assertThat(metric.limit().dropped()).isEqualTo(2 * (KEYS - LIMIT));
            assertThat(metric.limit().lastCut()).isEqualTo(KEYS - LIMIT);
            // The raw read alone is 2 x 2.4 MB (keys, values); decoding every key cost ~100 MB more.
            System.out.printf("series limit %d of %d keys: decoded %d keys, scrape allocated %.1f MiB%n",
                    LIMIT, KEYS, decoded.sum(), allocated / 1048576.0);
            assertThat(allocated).isLessThan(32L << 20);
        }
    }

    /**
     * The case of issue 22: 300k keys under the default limit (100k). The first scrape decodes and keeps
     * 100k keys (what it exports), no more; its time and the heap it leaves behind are printed for
     * docs/safety.md, and the heap it keeps is bounded by the limit, not by the map.
     */
    @Test
    void theFirstScrapeOf300kKeysUnderTheDefaultLimitKeepsOnlyWhatItExports() throws Exception {
        try (BpfMaps.Owned owned = keysCountingOne(k -> 1_000_000 + k * 7)) {
            BpfMap map = owned.map();
            MapMetric metric = MapMetric.bind(things(Source.NONE), map, DecoderRegistry.forSystem()::create, new LongAdder(),
                    MetricOptions.DEFAULT);
            long[] retained = new long[3];
            for (int scrape = 0; scrape < 3; scrape++) {
                long heapBefore = heapAfterGc();
                long allocatedBefore = allocatedByThisThread();
                long start = System.nanoTime();
                Family family = metric.collect();
                long millis = (System.nanoTime() - start) / 1_000_000;
                long allocated = allocatedByThisThread() - allocatedBefore;
                retained[scrape] = heapAfterGc() - heapBefore;
                assertThat(family.size()).isEqualTo(SeriesLimit.DEFAULT);
                assertThat(metric.limit().lastCut()).isEqualTo(KEYS - SeriesLimit.DEFAULT);
                System.out.printf("300k keys, default series limit: scrape %d took %d ms, allocated %.1f MiB, heap kept %+.1f MiB%n",
                        scrape + 1, millis, allocated / 1048576.0, retained[scrape] / 1048576.0);
            }
            // ~500 bytes per exported series (decoded labels, their encoded text, the raw key); not per map key
            assertThat(retained[0]).isLessThan(96L << 20);
            assertThat(retained[2]).isLessThan(8L << 20);
        }
    }

    private static long heapAfterGc() {
        System.gc();
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    /** com.sun.management's per-thread allocation counter, reached by reflection (this module reads neither java.management nor jdk.management). */
    private static long allocatedByThisThread() throws ReflectiveOperationException {
        Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        return (long) Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes")
                .invoke(threads);
    }

    /** A hash map of {@link #KEYS} u64 keys, the k-th being {@code keyOf(k)}, each with the value 1. */
    private static BpfMaps.Owned keysCountingOne(LongUnaryOperator keyOf) throws Exception {
        ByteBuffer keys = ByteBuffer.allocate(KEYS * 8).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer values = ByteBuffer.allocate(KEYS * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long k = 0; k < KEYS; k++) {
            keys.putLong(keyOf.applyAsLong(k));
            values.putLong(1);
        }
        BpfMaps.Owned owned = BpfMaps.create(MapType.HASH, "many", 8, 8, KEYS);
        try {
            BpfMaps.updateBatch(owned.map(), keys.array(), values.array(), KEYS, 0);
            return owned;
        } catch (Exception | Error e) {
            owned.close();
            throw e;
        }
    }

    /** things_total, counted by a u64 thing decoded as uint. */
    private static CounterConfig things(Source source) {
        return new CounterConfig("things_total", "things", "things",
                List.of(new LabelConfig("thing", 8, 0, List.of(DecoderConfig.named("uint")), Source.NONE)),
                false, Duration.ZERO, source);
    }
}
