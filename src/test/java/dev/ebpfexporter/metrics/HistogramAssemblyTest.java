package dev.ebpfexporter.metrics;

import dev.ebpfexporter.bpf.MapEntries;
import dev.ebpfexporter.config.BucketType;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.HistogramConfig;
import dev.ebpfexporter.exposition.Family;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import static dev.ebpfexporter.metrics.Fixtures.entries;
import static dev.ebpfexporter.metrics.Fixtures.key;
import static dev.ebpfexporter.metrics.Fixtures.row;
import static dev.ebpfexporter.metrics.Fixtures.staticMap;
import static dev.ebpfexporter.metrics.Fixtures.text;
import static dev.ebpfexporter.metrics.Fixtures.uint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistogramAssemblyTest {

    private static Function<MapEntries, Family> family(HistogramConfig config, int keySize) throws ConfigException {
        return MapMetric.family(config, false, keySize, Fixtures.DECODERS, new LongAdder(), new SeriesLimit(1000));
    }

    @Test
    void exp2BucketsAreBackfilledCumulativeWithSumFromTheKeyAfterMax() throws Exception {
        HistogramConfig config = Fixtures.histogram(BucketType.EXP2, 1, 0, 3, List.of(), uint("bucket", 4));
        String text = text(family(config, 4).apply(entries(4, 1, List.of(
                row(key(1, 4), 5),   // le=2
                row(key(3, 4), 2),   // le=8
                row(key(4, 4), 40),  // sum key: bucket_max + 1
                row(key(9, 4), 7))))); // outside the buckets: ignored, as the reference does
        assertThat(text).contains("""
                latency_seconds_bucket{le="1"} 0
                latency_seconds_bucket{le="2"} 5
                latency_seconds_bucket{le="4"} 5
                latency_seconds_bucket{le="8"} 7
                latency_seconds_bucket{le="+Inf"} 7
                latency_seconds_sum 40
                latency_seconds_count 7
                """.replace("latency", "ebpf_exporter_latency"));
    }

    @Test
    void exp2MultiplierScalesBoundsAndSum() throws Exception {
        HistogramConfig config = Fixtures.histogram(BucketType.EXP2, 0.5, 1, 2, List.of(), uint("bucket", 8));
        String text = text(family(config, 8).apply(entries(8, 1, List.of(row(key(2, 8), 1), row(key(3, 8), 10)))));
        assertThat(text).contains("le=\"1\"} 0", "le=\"2\"} 1", "_sum 5");
    }

    @Test
    void exp2zeroKeepsKeyZeroForZeroAndShiftsTheRest() throws Exception {
        HistogramConfig config = Fixtures.histogram(BucketType.EXP2ZERO, 1, 0, 3, List.of(), uint("bucket", 4));
        String text = text(family(config, 4).apply(entries(4, 1, List.of(row(key(0, 4), 3), row(key(3, 4), 1)))));
        assertThat(text).contains("le=\"0\"} 3", "le=\"1\"} 3", "le=\"2\"} 3", "le=\"4\"} 4", "_count 4",
                "_sum 0");
    }

    @Test
    void linearBucketsAreKeyTimesMultiplier() throws Exception {
        HistogramConfig config = Fixtures.histogram(BucketType.LINEAR, 10, 1, 3, List.of(), uint("bucket", 4));
        String text = text(family(config, 4).apply(entries(4, 1, List.of(row(key(2, 4), 4), row(key(4, 4), 55)))));
        assertThat(text).contains("le=\"10\"} 0", "le=\"20\"} 4", "le=\"30\"} 4", "_sum 550");
    }

    @Test
    void fixedBucketsUseTheConfiguredKeysAndTheKeyAfterTheLastForSum() throws Exception {
        HistogramConfig config = Fixtures.histogram(BucketType.FIXED, 0.001, 0, 0, List.of(1.0, 5.0, 10.0),
                uint("bucket", 4));
        String text = text(family(config, 4).apply(entries(4, 1, List.of(
                row(key(1, 4), 2), row(key(10, 4), 1), row(key(11, 4), 17000), row(key(3, 4), 9)))));
        assertThat(text).contains("le=\"0.001\"} 2", "le=\"0.005\"} 2", "le=\"0.01\"} 3", "_count 3", "_sum 17");
    }

    @Test
    void keysThatDecodeToTheSameLabelsAreSummedAndEverySeriesHasAllBuckets() throws Exception {
        // op is a u8 mapped by static_map: 1 and 3 both mean "write".
        HistogramConfig config = Fixtures.histogram(BucketType.EXP2, 1, 0, 1, List.of(),
                Fixtures.label("op", 1, 3, dev.ebpfexporter.config.DecoderConfig.named("uint"), staticMap(Map.of("1", "write", "3", "write", "0", "read"))), uint("bucket", 4));
        String text = text(family(config, 8).apply(entries(8, 1, List.of(
                row(key(1, 1, 0, 3, 0, 4), 2), row(key(3, 1, 0, 3, 0, 4), 5), row(key(0, 1, 0, 3, 1, 4), 1)))));
        assertThat(text).contains(
                "{op=\"write\",le=\"1\"} 7", "{op=\"write\",le=\"2\"} 7",
                "{op=\"read\",le=\"1\"} 0", "{op=\"read\",le=\"2\"} 1");
    }

    @Test
    void histogramValuesOfPerCpuMapsAreSummedOverCpus() throws Exception {
        HistogramConfig config = Fixtures.histogram(BucketType.LINEAR, 1, 0, 1, List.of(), uint("bucket", 4));
        var family = MapMetric.family(config, true, 4, Fixtures.DECODERS, new LongAdder(), new SeriesLimit(10));
        String text = text(family.apply(entries(4, 2, List.of(row(key(1, 4), 3, 4)))));
        assertThat(text).contains("le=\"1\"} 7", "_count 7");
    }

    @Test
    void bucketBoundsMustIncrease() {
        HistogramConfig sameBounds = Fixtures.histogram(BucketType.EXP2, 1, 3, 3, List.of(), uint("bucket", 4));
        assertThatThrownBy(() -> HistogramBuckets.of(sameBounds)).isInstanceOf(ConfigException.class)
                .hasMessage("test.yaml:5: histogram latency_seconds: bucket_max (3) must be greater than bucket_min (3)");
        HistogramConfig unordered = Fixtures.histogram(BucketType.FIXED, 1, 0, 0, List.of(5.0, 1.0), uint("bucket", 4));
        assertThatThrownBy(() -> HistogramBuckets.of(unordered)).hasMessageContaining("bucket_keys must be ascending");
    }

    @Test
    void histogramWithoutTheBucketLabelIsRejected() {
        HistogramConfig config = Fixtures.histogram(BucketType.EXP2, 1, 0, 3, List.of());
        assertThatThrownBy(() -> family(config, 4)).hasMessageContaining("needs at least one label");
    }
}
