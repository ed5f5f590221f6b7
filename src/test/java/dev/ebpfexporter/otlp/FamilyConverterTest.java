package dev.ebpfexporter.otlp;

import dev.ebpfexporter.exposition.FamilyMetadata;
import dev.ebpfexporter.exposition.Histograms;
import dev.ebpfexporter.exposition.LabelSet;
import dev.ebpfexporter.exposition.MetricType;
import dev.ebpfexporter.exposition.NativeLayout;
import dev.ebpfexporter.exposition.Samples;
import dev.ebpfexporter.exposition.Summaries;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.resources.Resource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Families to OpenTelemetry metric data: every type, every bucket count, exact. */
class FamilyConverterTest {
    private static final long START = 1_700_000_000_000_000_000L;
    private static final long NOW = START + 42_000_000_000L;
    private static final Resource RESOURCE = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "t"));
    private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("ebpf_exporter");
    private static final FamilyConverter CONVERTER = new FamilyConverter(RESOURCE, SCOPE, START, NOW);

    private static FamilyMetadata histogram(String name) {
        return new FamilyMetadata(name, "help of " + name, MetricType.HISTOGRAM);
    }

    @Test
    void counterIsAMonotonicCumulativeSumNamedAsTheFamilyWithTheHelpAsDescription() {
        Samples counter = Samples.builder("ebpf_exporter_events_total", "Events", MetricType.COUNTER)
                .add(3, "kind", "read").add(5, "kind", "write").build();
        MetricData data = CONVERTER.convert(counter);
        assertThat(data.getName()).isEqualTo("ebpf_exporter_events_total");
        assertThat(data.getDescription()).isEqualTo("Events");
        assertThat(data.getUnit()).isEmpty();
        assertThat(data.getResource()).isSameAs(RESOURCE);
        assertThat(data.getInstrumentationScopeInfo()).isSameAs(SCOPE);
        assertThat(data.getType()).isEqualTo(MetricDataType.DOUBLE_SUM);
        assertThat(data.getDoubleSumData().isMonotonic()).isTrue();
        assertThat(data.getDoubleSumData().getAggregationTemporality()).isEqualTo(AggregationTemporality.CUMULATIVE);
        assertThat(data.getDoubleSumData().getPoints()).extracting(DoublePointData::getValue,
                        p -> p.getAttributes().get(AttributeKey.stringKey("kind")), DoublePointData::getStartEpochNanos,
                        DoublePointData::getEpochNanos)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(3.0, "read", START, NOW),
                        org.assertj.core.groups.Tuple.tuple(5.0, "write", START, NOW));
    }

    @Test
    void gaugeAndUntypedAreGauges() {
        for (MetricType type : List.of(MetricType.GAUGE, MetricType.UNTYPED)) {
            MetricData data = CONVERTER.convert(Samples.builder("g", "G", type).add(-1.5, "a", "x", "b", "y").build());
            assertThat(data.getType()).isEqualTo(MetricDataType.DOUBLE_GAUGE);
            DoublePointData point = data.getDoubleGaugeData().getPoints().iterator().next();
            assertThat(point.getValue()).isEqualTo(-1.5);
            assertThat(point.getAttributes().asMap()).containsOnly(
                    java.util.Map.entry(AttributeKey.stringKey("a"), "x"), java.util.Map.entry(AttributeKey.stringKey("b"), "y"));
        }
    }

    @Test
    void summaryKeepsCountSumAndQuantiles() {
        Summaries summaries = new Summaries(new FamilyMetadata("jvm_gc_seconds", "GC", MetricType.SUMMARY),
                new LabelSet[]{LabelSet.of("gc", "G1")}, 1, new long[]{7}, new double[]{0.25},
                new double[]{0.5, 0.99}, new double[]{0.01, 0.1});
        MetricData data = CONVERTER.convert(summaries);
        assertThat(data.getType()).isEqualTo(MetricDataType.SUMMARY);
        SummaryPointData point = data.getSummaryData().getPoints().iterator().next();
        assertThat(point.getCount()).isEqualTo(7);
        assertThat(point.getSum()).isEqualTo(0.25);
        assertThat(point.getValues()).extracting(v -> v.getQuantile(), v -> v.getValue())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0.5, 0.01), org.assertj.core.groups.Tuple.tuple(0.99, 0.1));
    }

    @Test
    void exp2HistogramIsAScaleZeroExponentialHistogramWithEveryClassicCountInItsBucket() {
        // bounds 2^-2 .. 2^1: Prometheus indexes -2..1, OpenTelemetry's -3..0
        double[] bounds = {0.25, 0.5, 1, 2, Double.POSITIVE_INFINITY};
        long[] counts = {1, 0, 4, 2, 0, /* second series */ 0, 3, 0, 0, 0};
        Histograms h = new Histograms(histogram("lat_seconds"), new LabelSet[]{LabelSet.of("op", "1"),
                LabelSet.of("op", "2")}, 2, bounds, counts, new double[]{3.5, 1.25}, new NativeLayout(-2, false));
        MetricData data = CONVERTER.convert(h);
        assertThat(data.getType()).isEqualTo(MetricDataType.EXPONENTIAL_HISTOGRAM);
        assertThat(data.getExponentialHistogramData().getAggregationTemporality()).isEqualTo(AggregationTemporality.CUMULATIVE);
        List<ExponentialHistogramPointData> points = List.copyOf(data.getExponentialHistogramData().getPoints());
        ExponentialHistogramPointData first = points.get(0);
        assertThat(first.getScale()).isZero();
        assertThat(first.getPositiveBuckets().getOffset()).isEqualTo(-3);
        assertThat(first.getPositiveBuckets().getBucketCounts()).containsExactly(1L, 0L, 4L, 2L);
        assertThat(first.getNegativeBuckets().getBucketCounts()).isEmpty();
        assertThat(first.getZeroCount()).isZero();
        assertThat(first.getCount()).isEqualTo(7);
        assertThat(first.getSum()).isEqualTo(3.5);
        assertThat(first.hasMin()).isFalse();
        assertThat(first.hasMax()).isFalse();
        assertThat(first.getStartEpochNanos()).isEqualTo(START);
        assertThat(first.getEpochNanos()).isEqualTo(NOW);
        assertThat(first.getAttributes().get(AttributeKey.stringKey("op"))).isEqualTo("1");
        // OpenTelemetry bucket i is (2^i, 2^(i+1)]: each one's upper bound is the classic bucket's
        for (int i = 0; i < 4; i++) {
            assertThat(Math.scalb(1.0, first.getPositiveBuckets().getOffset() + i + 1)).isEqualTo(bounds[i]);
        }
        ExponentialHistogramPointData second = points.get(1);
        assertThat(second.getPositiveBuckets().getBucketCounts()).containsExactly(0L, 3L, 0L, 0L);
        assertThat(second.getCount()).isEqualTo(3);
        assertThat(second.getSum()).isEqualTo(1.25);
        assertThat(second.getAttributes().get(AttributeKey.stringKey("op"))).isEqualTo("2");
    }

    @Test
    void exp2zeroHistogramPutsClassicBucketZeroInTheZeroCount() {
        double[] bounds = {0, 1, 2, 4, Double.POSITIVE_INFINITY};
        Histograms h = new Histograms(histogram("bytes"), new LabelSet[]{LabelSet.EMPTY}, 1, bounds,
                new long[]{5, 1, 0, 2, 0}, new double[]{9}, new NativeLayout(0, true));
        ExponentialHistogramPointData point = CONVERTER.convert(h).getExponentialHistogramData().getPoints().iterator().next();
        assertThat(point.getZeroCount()).isEqualTo(5);
        assertThat(point.getPositiveBuckets().getOffset()).isEqualTo(-1);
        assertThat(point.getPositiveBuckets().getBucketCounts()).containsExactly(1L, 0L, 2L);
        assertThat(point.getCount()).isEqualTo(8);
        assertThat(point.getAttributes().isEmpty()).isTrue();
    }

    @Test
    void observationsAboveTheLastExponentialBucketAreRefused() {
        Histograms h = new Histograms(histogram("over"), new LabelSet[]{LabelSet.EMPTY}, 1,
                new double[]{1, 2, Double.POSITIVE_INFINITY}, new long[]{1, 0, 3}, new double[]{0}, new NativeLayout(0, false));
        assertThatThrownBy(() -> CONVERTER.convert(h)).isInstanceOf(IllegalStateException.class)
                .hasMessage("over: 3 observations above the last bucket have no exponential bucket");
    }

    @Test
    void classicHistogramIsAnExplicitBucketHistogramWithNonCumulativeCounts() {
        double[] bounds = {0, 10, 20, Double.POSITIVE_INFINITY};
        Histograms h = new Histograms(histogram("items"), new LabelSet[]{LabelSet.of("op", "3")}, 1, bounds,
                new long[]{0, 5, 2, 1}, new double[]{77}, null);
        MetricData data = CONVERTER.convert(h);
        assertThat(data.getType()).isEqualTo(MetricDataType.HISTOGRAM);
        assertThat(data.getHistogramData().getAggregationTemporality()).isEqualTo(AggregationTemporality.CUMULATIVE);
        HistogramPointData point = data.getHistogramData().getPoints().iterator().next();
        assertThat(point.getBoundaries()).containsExactly(0.0, 10.0, 20.0);
        assertThat(point.getCounts()).containsExactly(0L, 5L, 2L, 1L);
        assertThat(point.getCount()).isEqualTo(8);
        assertThat(point.getSum()).isEqualTo(77);
        assertThat(point.hasMin()).isFalse();
        assertThat(point.getStartEpochNanos()).isEqualTo(START);
    }
}
