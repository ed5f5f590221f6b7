package dev.ebpfexporter.exposition;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Native histogram fields in the protobuf format, decoded with the generated classes. */
class NativeHistogramsTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    /** exp2 with a multiplier of 1: bounds 2^0 .. 2^10. */
    private static Histograms exp2() {
        double[] bounds = new double[12];
        for (int i = 0; i <= 10; i++) {
            bounds[i] = Math.scalb(1.0, i);
        }
        bounds[11] = INF;
        long[] counts = new long[3 * 12];
        // series 0: buckets 0, 2 (a gap of one), 5 (a gap of two), 10 (a gap of four: a new span)
        counts[0] = 1;
        counts[2] = 3;
        counts[5] = 7;
        counts[10] = 2;
        // series 1: nothing observed; series 2: only the last finite bucket
        counts[2 * 12 + 10] = 9;
        return new Histograms(new FamilyMetadata("ebpf_exporter_io_size_bytes", "sizes", MetricType.HISTOGRAM),
                new LabelSet[]{LabelSet.of("op", "read"), LabelSet.of("op", "idle"), LabelSet.of("op", "big")}, 3,
                bounds, counts, new double[]{123, 0, 9216}, new NativeLayout(0, false));
    }

    /** exp2zero with a multiplier of 2^-20: the zero bucket, then bounds 2^-20 .. 2^-17. */
    private static Histograms exp2zero() {
        double[] bounds = {0, 0x1p-20, 0x1p-19, 0x1p-18, 0x1p-17, INF};
        long[] counts = {5, 1, 0, 0, 2, 0, /* empty series */ 0, 0, 0, 0, 0, 0, /* zeros only */ 4, 0, 0, 0, 0, 0};
        return new Histograms(new FamilyMetadata("ebpf_exporter_wait_seconds", "waits", MetricType.HISTOGRAM),
                new LabelSet[]{LabelSet.of("cpu", "0"), LabelSet.of("cpu", "1"), LabelSet.of("cpu", "2")}, 3, bounds,
                counts, new double[]{3e-6, 0, 0}, new NativeLayout(-20, true));
    }

    private static List<Metrics.MetricFamily> decode(InputStream in) throws IOException {
        List<Metrics.MetricFamily> decoded = new ArrayList<>();
        Metrics.MetricFamily family;
        while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
            decoded.add(family);
        }
        return decoded;
    }

    private static List<Metrics.MetricFamily> ours(Family... families) throws IOException {
        ByteBuf out = new ByteBuf(64);
        Format.PROTOBUF.write(List.of(families), out);
        return decode(new ByteArrayInputStream(out.array(), 0, out.size()));
    }

    /** Positive buckets as index to count, from spans and deltas. */
    private static Map<Integer, Long> positive(Metrics.Histogram h) {
        Map<Integer, Long> buckets = new TreeMap<>();
        int index = 0;
        long count = 0;
        int delta = 0;
        for (Metrics.BucketSpan span : h.getPositiveSpanList()) {
            index += span.getOffset();
            for (int i = 0; i < span.getLength(); i++) {
                count += h.getPositiveDelta(delta++);
                if (count != 0) {
                    buckets.put(index, count);
                }
                index++;
            }
        }
        assertThat(delta).as("every delta belongs to a span").isEqualTo(h.getPositiveDeltaCount());
        return buckets;
    }

    @Test
    void exp2BucketsAreSchemaZeroBucketsWithTheSameUpperBounds() throws IOException {
        List<Metrics.Metric> series = ours(exp2()).getFirst().getMetricList();
        Metrics.Histogram read = series.get(0).getHistogram();
        assertThat(read.getSchema()).isZero();
        assertThat(read.hasSchema()).isTrue();
        assertThat(positive(read)).isEqualTo(Map.of(0, 1L, 2, 3L, 5, 7L, 10, 2L));
        assertThat(read.getZeroCount()).isZero();
        assertThat(read.getZeroThreshold()).as("no zero bucket: client_golang's default width").isEqualTo(0x1p-128);
        assertThat(read.getSampleCount()).isEqualTo(13);
        assertThat(read.getSampleSum()).isEqualTo(123);
        assertThat(read.getBucketList()).as("classic buckets are still there")
                .extracting(b -> b.getUpperBound() + ":" + b.getCumulativeCount())
                .startsWith("1.0:1", "2.0:1", "4.0:4").contains("32.0:11", "1024.0:13").hasSize(11);
        assertThat(read.getNegativeSpanCount()).isZero();
    }

    @Test
    void gapsOfUpToTwoEmptyBucketsStayInsideASpan() throws IOException {
        Metrics.Histogram read = ours(exp2()).getFirst().getMetric(0).getHistogram();
        assertThat(read.getPositiveSpanList()).extracting(s -> s.getOffset() + "+" + s.getLength())
                .containsExactly("0+6", "4+1");
        assertThat(read.getPositiveDeltaList()).containsExactly(1L, -1L, 3L, -3L, 0L, 7L, -5L);
    }

    @Test
    void aSeriesWithNoObservationsIsStillNative() throws IOException {
        Metrics.Histogram idle = ours(exp2()).getFirst().getMetric(1).getHistogram();
        assertThat(idle.getPositiveSpanCount()).isZero();
        assertThat(idle.getSampleCount()).isZero();
        // Prometheus 2.42 takes a histogram for native when its zero threshold is positive.
        assertThat(idle.getZeroThreshold()).isPositive();
        Metrics.Histogram big = ours(exp2()).getFirst().getMetric(2).getHistogram();
        assertThat(positive(big)).isEqualTo(Map.of(10, 9L));
        assertThat(big.getPositiveSpanList()).extracting(s -> s.getOffset() + "+" + s.getLength()).containsExactly("10+1");
    }

    @Test
    void exp2zeroKeyZeroIsTheZeroBucketOfWidthZero() throws IOException {
        List<Metrics.Metric> series = ours(exp2zero()).getFirst().getMetricList();
        Metrics.Histogram cpu0 = series.get(0).getHistogram();
        assertThat(cpu0.getZeroCount()).isEqualTo(5);
        assertThat(cpu0.getZeroThreshold()).as("exactly what is at most 0").isZero();
        assertThat(positive(cpu0)).isEqualTo(Map.of(-20, 1L, -17, 2L));
        assertThat(cpu0.getPositiveSpanList()).extracting(s -> s.getOffset() + "+" + s.getLength())
                .containsExactly("-20+4");
        Metrics.Histogram empty = series.get(1).getHistogram();
        assertThat(empty.getZeroThreshold()).as("an empty one must still read as native").isEqualTo(0x1p-128);
        Metrics.Histogram zerosOnly = series.get(2).getHistogram();
        assertThat(zerosOnly.getZeroCount()).isEqualTo(4);
        assertThat(zerosOnly.getZeroThreshold()).isZero();
        assertThat(zerosOnly.getPositiveSpanCount()).isZero();
    }

    @Test
    void sameNativeBucketsAsClientJavaWritesForTheSameSnapshot() throws IOException {
        for (Histograms family : List.of(exp2(), exp2zero())) {
            ByteArrayOutputStream theirs = new ByteArrayOutputStream();
            ExpositionFormats.init().getPrometheusProtobufWriter()
                    .write(theirs, new MetricSnapshots(ClientJavaSnapshots.of(family)));
            // client_java sorts series by their labels
            List<Metrics.Metric> expected = byLabels(decode(new ByteArrayInputStream(theirs.toByteArray())).getFirst());
            List<Metrics.Metric> actual = byLabels(ours(family).getFirst());
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                Metrics.Histogram e = expected.get(i).getHistogram();
                Metrics.Histogram a = actual.get(i).getHistogram();
                assertThat(a.getSchema()).isEqualTo(e.getSchema());
                assertThat(a.getZeroThreshold()).isEqualTo(e.getZeroThreshold());
                assertThat(a.getZeroCount()).isEqualTo(e.getZeroCount());
                assertThat(positive(a)).as(family.metadata().name() + " series " + i).isEqualTo(positive(e));
                assertThat(a.getSampleCount()).isEqualTo(e.getSampleCount());
                assertThat(a.getSampleSum()).isEqualTo(e.getSampleSum());
                assertThat(a.getBucketList()).as("classic buckets (we leave +Inf out, as client_golang does)")
                        .isEqualTo(e.getBucketList().stream().filter(b -> b.getUpperBound() != INF).toList());
            }
        }
    }

    private static List<Metrics.Metric> byLabels(Metrics.MetricFamily family) {
        return family.getMetricList().stream()
                .sorted(java.util.Comparator.comparing((Metrics.Metric m) -> m.getLabelList().toString())).toList();
    }

    @Test
    void classicOnlyHistogramsHaveNoNativeFields() throws IOException {
        Histograms h = exp2();
        Histograms classic = new Histograms(h.metadata(), h.labelSets(), h.size(), h.upperBounds(), h.counts(), h.sums());
        Metrics.Histogram read = ours(classic).getFirst().getMetric(0).getHistogram();
        assertThat(read.hasSchema()).isFalse();
        assertThat(read.hasZeroThreshold()).isFalse();
        assertThat(read.getPositiveSpanCount()).isZero();
    }

    @Test
    void boundsThatAreNotThePowersOfTheLayoutAreRefused() {
        assertThatThrownBy(() -> new Histograms(new FamilyMetadata("h", "h", MetricType.HISTOGRAM),
                new LabelSet[]{LabelSet.EMPTY}, 1, new double[]{0.001, 0.002, INF}, new long[3], new double[1],
                new NativeLayout(-10, false)))
                .hasMessage("h: bucket bound 0.001 is not 2^-10, so the buckets are not exponential");
        assertThatThrownBy(() -> new NativeLayout(-128, false))
                .hasMessage("exponential bucket index -128 is outside (2^-128, 2^1023]");
    }

    @Test
    void anObservationAboveTheLastBoundFailsTheFamilyNotTheScrape() {
        Histograms h = exp2();
        long[] counts = h.counts().clone();
        counts[11] = 1;
        Histograms overflowing = new Histograms(h.metadata(), h.labelSets(), h.size(), h.upperBounds(), counts, h.sums(),
                h.nativeLayout());
        Samples other = Samples.builder("ebpf_exporter_other", "o", MetricType.GAUGE).add(1).build();
        Exposition exposition = new Exposition(() -> List.of(new ScrapePart("c", "m", () -> List.of(overflowing, other))));
        ByteBuf out = new ByteBuf(64);
        exposition.write(Format.PROTOBUF, n -> true, out);
        assertThat(exposition.errors().family().size()).isEqualTo(1);
        assertThat(new String(out.array(), 0, out.size(), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("ebpf_exporter_other").doesNotContain("ebpf_exporter_io_size_bytes");
    }
}
