package dev.ebpfexporter.metrics;

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
import dev.ebpfexporter.config.Source;
import dev.ebpfexporter.decoder.Decoder;
import dev.ebpfexporter.decoder.DecoderException;
import dev.ebpfexporter.decoder.DecoderRegistry;
import dev.ebpfexporter.decoder.KernelLookups;
import dev.ebpfexporter.decoder.SkipKeyException;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.exposition.ByteBuf;
import dev.ebpfexporter.exposition.Exposition;
import dev.ebpfexporter.exposition.Family;
import dev.ebpfexporter.exposition.Format;
import dev.ebpfexporter.exposition.Histograms;
import dev.ebpfexporter.exposition.Samples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Map metrics on real kernel maps: decoding once per distinct key, sums of keys that decode alike,
 * series that leave with their keys, values that move while the key set stays, the series limit
 * and its counter, and histograms.
 */
class MapMetricTest {
    @BeforeEach
    void needsBpf() {
        BpfAvailability.require();
    }

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static byte[] u32pair(int a, int b) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(a).putInt(b).array();
    }

    /** A decoder factory whose "mod10" decoder maps a u64 to its value mod 10 and counts its calls per key. */
    private static final class CountingDecoders {
        final Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();
        final DecoderRegistry real = new DecoderRegistry(KernelLookups.forSystem());

        Decoder create(DecoderConfig config, int size) throws dev.ebpfexporter.config.ConfigException {
            return switch (config.name()) {
                case "mod10" -> in -> {
                    long v = ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN).getLong();
                    calls.computeIfAbsent(v, k -> new AtomicInteger()).incrementAndGet();
                    if (v == 666) {
                        throw new DecoderException("bad key");
                    }
                    if (v == 777) {
                        throw new SkipKeyException("skipped");
                    }
                    return Long.toString(v % 10).getBytes(StandardCharsets.UTF_8);
                };
                default -> real.create(config, size);
            };
        }
    }

    private static CounterConfig counter(String decoder) {
        return new CounterConfig("things_total", "things", "things",
                List.of(new LabelConfig("thing", 8, 0, List.of(DecoderConfig.named(decoder)), Source.NONE)),
                false, Duration.ZERO, Source.NONE);
    }

    private static Map<String, Double> values(Family snapshot) {
        Map<String, Double> result = new HashMap<>();
        Samples samples = (Samples) snapshot;
        for (int s = 0; s < samples.size(); s++) {
            result.put(samples.labels(s).get("thing"), samples.value(s));
        }
        return result;
    }

    @Test
    void decodesOncePerKeySumsAlikeKeysAndFollowsTheMap() throws Exception {
        CountingDecoders decoders = new CountingDecoders();
        LongAdder errors = new LongAdder();
        try (BpfMaps.Owned owned = BpfMaps.create(MapType.HASH, "things", 8, 8, 1000)) {
            BpfMap map = owned.map();
            for (long k = 0; k < 30; k++) {
                map.update(u64(k), u64(1), 0);
            }
            MapMetric metric = MapMetric.bind(counter("mod10"), map, decoders::create, errors, new MetricOptions(1000, true));
            for (int scrape = 0; scrape < 3; scrape++) {
                Map<String, Double> v = values(metric.collect());
                assertThat(v).hasSize(10).allSatisfy((label, value) -> assertThat(value).isEqualTo(3.0));
            }
            assertThat(decoders.calls).hasSize(30).allSatisfy((k, n) -> assertThat(n.get()).as("key %d", k).isEqualTo(1));

            // Values move, keys stay: the same series with new sums.
            map.update(u64(5), u64(100), 0);
            assertThat(values(metric.collect())).containsEntry("5", 102.0).containsEntry("4", 3.0);

            // Keys leave: their series go (and are evicted from the cache); a new key decodes once.
            for (long k = 10; k < 30; k++) {
                map.delete(u64(k));
            }
            map.update(u64(41), u64(7), 0);
            Map<String, Double> v = values(metric.collect());
            assertThat(v).hasSize(10).containsEntry("1", 8.0).containsEntry("5", 100.0).containsEntry("9", 1.0);
            assertThat(decoders.calls.get(41L).get()).isEqualTo(1);
            map.update(u64(12), u64(1), 0); // left and came back: decoded again after eviction
            metric.collect();
            assertThat(decoders.calls.get(12L).get()).isEqualTo(2);

            // A failing key is dropped and counted on every scrape; a skipped key is just dropped.
            map.update(u64(666), u64(1), 0);
            map.update(u64(777), u64(1), 0);
            metric.collect();
            metric.collect();
            assertThat(errors.sum()).isEqualTo(2);
            assertThat(decoders.calls.get(777L).get()).isEqualTo(1);
            // Keys 6 and 7 remain alone in their series: 666 and 777 added nothing.
            assertThat(values(metric.collect())).containsEntry("6", 1.0).containsEntry("7", 1.0);
            assertThat(errors.sum()).isEqualTo(3);
        }
    }

    @Test
    void seriesComeSortedByLabels() throws Exception {
        try (BpfMaps.Owned owned = BpfMaps.create(MapType.HASH, "sorted", 8, 8, 5000)) {
            BpfMap map = owned.map();
            for (long k = 0; k < 3000; k++) {
                map.update(u64(k * 7919), u64(k), 0);
            }
            MapMetric metric = MapMetric.bind(counter("uint"), map, DecoderRegistry.forSystem()::create,
                    new LongAdder(), new MetricOptions(100_000, true));
            for (int scrape = 0; scrape < 2; scrape++) {
                Samples family = (Samples) metric.collect();
                assertThat(family.size()).isEqualTo(3000);
                for (int i = 1; i < family.size(); i++) {
                    assertThat(family.labels(i - 1).compareTo(family.labels(i))).isNegative();
                }
            }
        }
    }

    @Test
    void seriesLimitCutsSeriesAndCountsThemPerConfigAndMetric() throws Exception {
        try (BpfMaps.Owned owned = BpfMaps.create(MapType.HASH, "limited", 8, 8, 100)) {
            BpfMap map = owned.map();
            for (long k = 0; k < 25; k++) {
                map.update(u64(k), u64(1), 0);
            }
            CounterConfig config = counter("uint");
            LongAdder errors = new LongAdder();
            MapMetric metric = MapMetric.bind(config, map, DecoderRegistry.forSystem()::create, errors, new MetricOptions(10, true));
            ExporterConfig exporterConfig = new ExporterConfig("limits", Path.of("limits.yaml"), Path.of("limits.bpf.o"),
                    List.of(config), List.of(), List.of(), List.of(), Optional.empty());
            LoadedConfig loaded = new LoadedConfig(exporterConfig, null, List.of(), List.of(metric), errors,
                    new dev.ebpfexporter.lifecycle.Resources("config limits"));
            Exposition registry = new Exposition(new ExporterCollector(() -> List.of(loaded), BuildInfo.load())::parts);

            dev.ebpfexporter.testing.Samples first = scrape(registry);
            assertThat(first.named("ebpf_exporter_things_total")).hasSize(10);
            assertThat(first.named("ebpf_exporter_series_dropped_total"))
                    .singleElement().satisfies(s -> {
                        assertThat(s.labels()).containsEntry("config", "limits").containsEntry("metric", "things_total");
                        assertThat(s.value()).isEqualTo(15.0);
                    });
            dev.ebpfexporter.testing.Samples second = scrape(registry);
            assertThat(second.named("ebpf_exporter_things_total")).hasSize(10);
            assertThat(second.sum("ebpf_exporter_series_dropped_total")).isEqualTo(30.0);
        }
    }

    private static dev.ebpfexporter.testing.Samples scrape(Exposition exposition) {
        ByteBuf out = new ByteBuf(1024);
        exposition.write(Format.TEXT, name -> true, out);
        return dev.ebpfexporter.testing.Samples.parse(out.toString());
    }

    @Test
    void histogramsBackfillBucketsAndFollowMovingCounts() throws Exception {
        HistogramConfig config = new HistogramConfig("latency_seconds", "latency", "latency", BucketType.EXP2, 1,
                0, 3, List.of(), List.of(
                new LabelConfig("op", 4, 0, List.of(DecoderConfig.named("uint")), Source.NONE),
                new LabelConfig("bucket", 4, 0, List.of(DecoderConfig.named("uint")), Source.NONE)), Source.NONE);
        try (BpfMaps.Owned owned = BpfMaps.create(MapType.HASH, "latency", 8, 8, 100)) {
            BpfMap map = owned.map();
            map.update(u32pair(1, 0), u64(2), 0);
            map.update(u32pair(1, 2), u64(3), 0);
            map.update(u32pair(1, 4), u64(40), 0); // the sum key (bucket_max + 1)
            map.update(u32pair(2, 3), u64(1), 0);
            map.update(u32pair(2, 9), u64(1000), 0); // out of range: ignored
            MapMetric metric = MapMetric.bind(config, map, DecoderRegistry.forSystem()::create, new LongAdder(), new MetricOptions(100, true));
            for (int scrape = 0; scrape < 2; scrape++) {
                Histograms family = (Histograms) metric.collect();
                assertThat(family.size()).isEqualTo(2);
                assertThat(family.labels(0).get("op")).isEqualTo("1");
                assertThat(family.buckets()).isEqualTo(5); // 1, 2, 4, 8, +Inf
                assertThat(family.count(0)).isEqualTo(5);
                assertThat(family.sums()[0]).isEqualTo(40.0);
                assertThat(family.count(1)).isEqualTo(1);
            }
            map.update(u32pair(1, 1), u64(10), 0); // a new key: the plan is rebuilt
            map.update(u32pair(2, 3), u64(4), 0);
            Histograms family = (Histograms) metric.collect();
            assertThat(family.count(0)).isEqualTo(15);
            assertThat(family.count(1)).isEqualTo(4);
            map.update(u32pair(2, 3), u64(6), 0); // same keys, moved value: the plan is reused
            family = (Histograms) metric.collect();
            assertThat(family.count(0)).isEqualTo(15);
            assertThat(family.count(1)).isEqualTo(6);
        }
    }

    @Test
    void perCpuCounterWithCpuLabelHasOneSeriesPerCpu() throws Exception {
        CounterConfig config = new CounterConfig("per_cpu_total", "per_cpu", "per cpu", List.of(
                new LabelConfig("thing", 8, 0, List.of(DecoderConfig.named("uint")), Source.NONE),
                new LabelConfig("cpu", 2, 0, List.of(DecoderConfig.named("uint")), Source.NONE)),
                false, Duration.ZERO, Source.NONE);
        try (BpfMaps.Owned owned = BpfMaps.create(MapType.PERCPU_HASH, "per_cpu", 8, 8, 10)) {
            BpfMap map = owned.map();
            int cpus = map.cpus();
            ByteBuffer value = ByteBuffer.allocate(8 * cpus).order(ByteOrder.LITTLE_ENDIAN);
            for (int cpu = 0; cpu < cpus; cpu++) {
                value.putLong(cpu + 1);
            }
            map.update(u64(3), value.array(), 0);
            MapMetric metric = MapMetric.bind(config, map, DecoderRegistry.forSystem()::create, new LongAdder(), new MetricOptions(100, true));
            for (int scrape = 0; scrape < 2; scrape++) {
                Samples family = (Samples) metric.collect();
                assertThat(family.size()).isEqualTo(cpus);
                for (int s = 0; s < family.size(); s++) {
                    int cpu = Integer.parseInt(family.labels(s).get("cpu"));
                    assertThat(family.labels(s).get("thing")).isEqualTo("3");
                    assertThat(family.value(s)).isEqualTo(cpu + 1.0);
                }
            }
        }
    }
}
