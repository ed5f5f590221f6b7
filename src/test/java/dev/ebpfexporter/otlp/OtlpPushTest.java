package dev.ebpfexporter.otlp;

import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.collector.BuildInfo;
import dev.ebpfexporter.collector.ExporterCollector;
import dev.ebpfexporter.compat.TestPrograms;
import dev.ebpfexporter.exposition.Exposition;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.OtlpMetricsReceiver;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ebpfexporter.compat.TestPrograms.perCpu;
import static dev.ebpfexporter.compat.TestPrograms.put;
import static dev.ebpfexporter.compat.TestPrograms.u32s;
import static dev.ebpfexporter.compat.TestPrograms.u64s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real kernel maps (src/test/bpf/maps.bpf.o, filled by the test) pushed over OTLP/HTTP to a receiver
 * that decodes with the official protobuf classes: every bucket count, offset, zero count, sum and
 * count is what the test put in the map.
 */
@Timeout(120)
class OtlpPushTest {
    /** 2^-10: exp2 bounds 2^-10 .. 2^-5, exact as a scale-0 exponential histogram. */
    private static final double POW2_MULTIPLIER = 0x1p-10;
    private static final String YAML = TestPrograms.countedByKind("hash_events_total", "Events by kind", "read", "write")
            + "  histograms:\n"
            + TestPrograms.opHistogram("exp2_seconds", "exp2 buckets with a power-of-two multiplier", "exp2", 0, 5, "0.0009765625")
            + TestPrograms.opHistogram("exp2zero_bytes", "exp2zero buckets", "exp2zero", 0, 3, "")
            + TestPrograms.opHistogram("linear_items", "linear buckets", "linear", 0, 2, "10")
            + TestPrograms.opHistogram("percpu_exp2_seconds", "exp2 buckets in milliseconds, not a power of two", "exp2", 0, 2,
                    "0.001");
    /** Bucket counts the test puts in the maps, by bucket key (op 1 of exp2_seconds, op 2 of exp2zero, ...). */
    private static final long[] EXP2 = {3, 0, 7, 1, 0, 2};
    private static final long EXP2_SUM = 4096; // in buckets' units: 4096 * 2^-10 = 4
    private static final long[] EXP2ZERO = {5, 1, 0, 2};
    private static final long EXP2ZERO_SUM = 9;
    private static final long[] LINEAR = {0, 4, 6};
    private static final long[] MILLI = {2, 0, 1};

    static InProcessExporter exporter;
    static OtlpMetricsReceiver receiver;

    @BeforeAll
    static void load(@TempDir Path dir) throws Exception {
        exporter = TestPrograms.loaded(dir, "maps", "maps", YAML);
        receiver = new OtlpMetricsReceiver();
        fill("exp2_seconds", 1, EXP2, EXP2_SUM);
        fill("exp2zero_bytes", 2, EXP2ZERO, EXP2ZERO_SUM);
        fill("linear_items", 3, LINEAR, 0);
        BpfMap milli = map("percpu_exp2_seconds");
        for (int b = 0; b < MILLI.length; b++) {
            put(milli, u32s(4, b), perCpu(milli, MILLI[b]));
        }
        put(map("hash_events_total"), u32s(1), u64s(10));
    }

    @AfterAll
    static void close() {
        if (receiver != null) {
            receiver.close();
        }
        if (exporter != null) {
            exporter.close();
        }
    }

    private static OtlpPush start(Duration interval, Map<String, String> overrides) {
        Map<String, String> properties = new java.util.HashMap<>(overrides);
        properties.putIfAbsent("otel.exporter.otlp.endpoint", receiver.endpoint());
        return OtlpPush.start(interval, new Exposition(new ExporterCollector(exporter::configs, BuildInfo.load())::parts),
                "test-version", Instant.ofEpochSecond(1_000_000), properties);
    }

    @Test
    void everyBucketOfEveryHistogramArrivesExactlyAndCountersAreMonotonicCumulative() throws Exception {
        int before = receiver.pushes().size();
        OtlpMetricsReceiver.Push first;
        OtlpMetricsReceiver.Push later;
        try (OtlpPush push = start(Duration.ofMillis(200), Map.of("otel.resource.attributes", "team=storage,region=eu"))) {
            assertThat(push.description()).isEqualTo("pushing metrics over OTLP (http/protobuf) to "
                    + receiver.endpoint() + "/v1/metrics every 200ms");
            first = receiver.await(before + 1, Duration.ofSeconds(30)).get(before);
            put(map("hash_events_total"), u32s(1), u64s(25));
            later = receiver.await(p -> p.metric("ebpf_exporter_hash_events_total")
                    .filter(m -> m.getSum().getDataPoints(0).getAsDouble() == 25).isPresent(), Duration.ofSeconds(30));
        }
        assertThat(first.contentType()).isEqualTo("application/x-protobuf");
        assertThat(first.resource()).containsEntry("team", "storage").containsEntry("region", "eu")
                .containsEntry("service.name", "ebpf_exporter")
                .containsEntry("host.name", Files.readString(Path.of("/proc/sys/kernel/hostname")).trim())
                .containsEntry("os.type", "linux").containsKey("host.arch");
        assertThat(first.request().getResourceMetrics(0).getScopeMetrics(0).getScope().getName()).isEqualTo("ebpf_exporter");
        assertThat(first.request().getResourceMetrics(0).getScopeMetrics(0).getScope().getVersion()).isEqualTo("test-version");

        ExponentialHistogramDataPoint exp2 = exponential(first, "ebpf_exporter_exp2_seconds");
        assertThat(exp2.getScale()).isZero();
        // the bucket with upper bound 2^k is OpenTelemetry's bucket k - 1: (2^(k-1), 2^k]
        assertThat(exp2.getPositive().getOffset()).isEqualTo(Math.getExponent(POW2_MULTIPLIER) - 1);
        assertThat(exp2.getPositive().getBucketCountsList()).containsExactlyElementsOf(boxed(EXP2));
        for (int i = 0; i < EXP2.length; i++) {
            assertThat(Math.scalb(1.0, exp2.getPositive().getOffset() + i + 1)).isEqualTo(Math.scalb(POW2_MULTIPLIER, i));
        }
        assertThat(exp2.getNegative().getBucketCountsCount()).isZero();
        assertThat(exp2.getZeroCount()).isZero();
        assertThat(exp2.getZeroThreshold()).isZero();
        assertThat(exp2.getCount()).isEqualTo(sum(EXP2));
        assertThat(exp2.getSum()).isEqualTo(EXP2_SUM * POW2_MULTIPLIER);
        assertThat(OtlpMetricsReceiver.text(exp2.getAttributesList())).isEqualTo(Map.of("op", "1"));
        assertThat(exp2.getStartTimeUnixNano()).isEqualTo(1_000_000L * 1_000_000_000L);

        ExponentialHistogramDataPoint zero = exponential(first, "ebpf_exporter_exp2zero_bytes");
        assertThat(zero.getScale()).isZero();
        assertThat(zero.getZeroCount()).isEqualTo(EXP2ZERO[0]);
        assertThat(zero.getZeroThreshold()).isZero();
        assertThat(zero.getPositive().getOffset()).isEqualTo(-1); // key 1 is (0.5, 1]: OpenTelemetry's bucket -1
        assertThat(zero.getPositive().getBucketCountsList())
                .containsExactlyElementsOf(boxed(java.util.Arrays.copyOfRange(EXP2ZERO, 1, EXP2ZERO.length)));
        assertThat(zero.getCount()).isEqualTo(sum(EXP2ZERO));
        assertThat(zero.getSum()).isEqualTo(EXP2ZERO_SUM);
        assertThat(OtlpMetricsReceiver.text(zero.getAttributesList())).isEqualTo(Map.of("op", "2"));

        HistogramDataPoint linear = explicit(first, "ebpf_exporter_linear_items");
        assertThat(linear.getExplicitBoundsList()).containsExactly(0.0, 10.0, 20.0);
        List<Long> linearCounts = new ArrayList<>(boxed(LINEAR));
        linearCounts.add(0L); // +Inf
        assertThat(linear.getBucketCountsList()).containsExactlyElementsOf(linearCounts);
        assertThat(linear.getCount()).isEqualTo(sum(LINEAR));
        assertThat(OtlpMetricsReceiver.text(linear.getAttributesList())).isEqualTo(Map.of("op", "3"));

        HistogramDataPoint milli = explicit(first, "ebpf_exporter_percpu_exp2_seconds");
        assertThat(milli.getExplicitBoundsList()).containsExactly(0.001, 0.002, 0.004);
        List<Long> milliCounts = new ArrayList<>(boxed(MILLI));
        milliCounts.add(0L);
        assertThat(milli.getBucketCountsList()).containsExactlyElementsOf(milliCounts);
        assertThat(milli.getCount()).isEqualTo(sum(MILLI));
        assertThat(first.metric("ebpf_exporter_percpu_exp2_seconds").orElseThrow().hasExponentialHistogram()).isFalse();

        Metric counter = first.metric("ebpf_exporter_hash_events_total").orElseThrow();
        assertThat(counter.getDescription()).isEqualTo("Events by kind");
        assertThat(counter.getSum().getIsMonotonic()).isTrue();
        assertThat(counter.getSum().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        NumberDataPoint read = counter.getSum().getDataPoints(0);
        assertThat(read.getAsDouble()).isEqualTo(10);
        assertThat(OtlpMetricsReceiver.text(read.getAttributesList())).isEqualTo(Map.of("kind", "read"));
        NumberDataPoint readLater = later.metric("ebpf_exporter_hash_events_total").orElseThrow().getSum().getDataPoints(0);
        assertThat(readLater.getStartTimeUnixNano()).isEqualTo(read.getStartTimeUnixNano());
        assertThat(readLater.getTimeUnixNano()).isGreaterThan(read.getTimeUnixNano());
        // the exporter's own metrics go too
        assertThat(first.metric("ebpf_exporter_enabled_configs")).isPresent();
    }

    @Test
    void closingPushesOnceMore() throws Exception {
        int before = receiver.pushes().size();
        OtlpPush push = start(Duration.ofHours(1), Map.of());
        Thread.sleep(300);
        assertThat(receiver.pushes()).hasSize(before);
        push.close();
        List<OtlpMetricsReceiver.Push> pushes = receiver.await(before + 1, Duration.ofSeconds(5));
        assertThat(pushes).hasSize(before + 1);
        assertThat(exponential(pushes.get(before), "ebpf_exporter_exp2_seconds").getPositive().getBucketCountsList())
                .containsExactlyElementsOf(boxed(EXP2));
    }

    @Test
    void abortingStopsWithoutPushing() throws Exception {
        int before = receiver.pushes().size();
        start(Duration.ofHours(1), Map.of()).abort();
        // abort() returns once the SDK has shut down, after the answer to any push it made, and the
        // receiver records a push before it answers: so one would be here already
        assertThat(receiver.pushes()).hasSize(before);
    }

    @Test
    void serviceNameFromTheResourceAttributesOrOtelServiceNameWins() throws Exception {
        int before = receiver.pushes().size();
        start(Duration.ofHours(1), Map.of("otel.resource.attributes", "service.name=disk,host.name=node-a")).close();
        start(Duration.ofHours(1), Map.of("otel.resource.attributes", "service.name=disk", "otel.service.name", "io"))
                .close();
        List<OtlpMetricsReceiver.Push> pushes = receiver.await(before + 2, Duration.ofSeconds(5));
        assertThat(pushes.get(before).resource()).containsEntry("service.name", "disk").containsEntry("host.name", "node-a");
        assertThat(pushes.get(before + 1).resource()).containsEntry("service.name", "io");
    }

    @Test
    void grpcIsRefusedWithOneLine() {
        assertThatThrownBy(() -> start(Duration.ofSeconds(1), Map.of("otel.exporter.otlp.protocol", "grpc")))
                .isInstanceOf(OtlpPushException.class)
                .hasMessage("OTLP metrics push: protocol grpc is not supported (no gRPC sender is bundled, only HTTP);"
                        + " set OTEL_EXPORTER_OTLP_METRICS_PROTOCOL=http/protobuf");
    }

    @Test
    void badEndpointIsOneLineFromTheSdk() {
        assertThatThrownBy(() -> start(Duration.ofSeconds(1), Map.of("otel.exporter.otlp.metrics.endpoint", "localhost:4318")))
                .isInstanceOf(OtlpPushException.class)
                .hasMessage("OTLP metrics push: unknown protocol: localhost");
    }

    private static ExponentialHistogramDataPoint exponential(OtlpMetricsReceiver.Push push, String name) {
        ExponentialHistogram histogram = pushed(push, name).getExponentialHistogram();
        assertCumulativeWithOnePoint(histogram.getAggregationTemporality(), histogram.getDataPointsCount());
        return histogram.getDataPoints(0);
    }

    private static HistogramDataPoint explicit(OtlpMetricsReceiver.Push push, String name) {
        Histogram histogram = pushed(push, name).getHistogram();
        assertCumulativeWithOnePoint(histogram.getAggregationTemporality(), histogram.getDataPointsCount());
        return histogram.getDataPoints(0);
    }

    private static Metric pushed(OtlpMetricsReceiver.Push push, String name) {
        return push.metric(name).orElseThrow(() -> new AssertionError(name + " not pushed"));
    }

    /** Cumulative, as Prometheus' counts are, and one point: the test fills one label set per histogram. */
    private static void assertCumulativeWithOnePoint(AggregationTemporality temporality, int points) {
        assertThat(temporality).isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        assertThat(points).isEqualTo(1);
    }

    private static void fill(String name, int op, long[] counts, long sum) {
        BpfMap map = map(name);
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] != 0) {
                put(map, u32s(op, b), u64s(counts[b]));
            }
        }
        if (sum != 0) {
            put(map, u32s(op, counts.length), u64s(sum)); // bucket_max + 1 holds the sum
        }
    }

    private static BpfMap map(String name) {
        return TestPrograms.map(exporter, "maps", name);
    }

    private static List<Long> boxed(long[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }

    private static long sum(long[] values) {
        return java.util.Arrays.stream(values).sum();
    }
}
