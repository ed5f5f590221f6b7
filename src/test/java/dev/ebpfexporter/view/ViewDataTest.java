package dev.ebpfexporter.view;

import dev.ebpfexporter.collector.ExporterView;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The data the page polls, from fixed snapshots and a fixed clock: sampling period, heat, rates, top and filter. */
class ViewDataTest {
    private static final double[] BOUNDS = {1e-6, 2e-6, Double.POSITIVE_INFINITY};

    private final long[] nanos = {1_000_000_000L};
    private final AtomicInteger reads = new AtomicInteger();
    private List<MetricSnapshot> metrics = List.of();
    private List<ExporterView.Config> configs = List.of();
    private final Sampler sampler = new Sampler(() -> configs, () -> {
        reads.incrementAndGet();
        return metrics;
    }, Duration.ofSeconds(2), () -> nanos[0], () -> nanos[0] / 1_000_000);

    private static HistogramSnapshot histogram(long... counts) {
        return new HistogramSnapshot(new MetricMetadata("ebpf_exporter_io_latency_seconds", "IO latency"), List.of(
                new HistogramDataPointSnapshot(ClassicHistogramBuckets.of(BOUNDS, counts), 0.5,
                        Labels.of("operation", "write"), Exemplars.EMPTY, 0L)));
    }

    private static CounterSnapshot counter(double busy, double quiet) {
        return new CounterSnapshot(new MetricMetadata("ebpf_exporter_timer_starts", "timers"), List.of(
                new CounterDataPointSnapshot(busy, Labels.of("function", "process_timeout"), null, 0L),
                new CounterDataPointSnapshot(quiet, Labels.of("function", "tcp_keepalive_timer"), null, 0L)));
    }

    private static ExporterView.Config config(long runTimeNs) {
        return new ExporterView.Config("timers", List.of(new ExporterView.Program("timer_start", "tp_btf/timer_start",
                7, "t", true, Optional.empty(), runTimeNs / 1000, runTimeNs)), List.of());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> poll(ViewData.Query query) {
        String json = sampler.read(state -> ViewData.render(state, query));
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(json);
    }

    @SuppressWarnings("unchecked")
    private static Object at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            current = step instanceof Integer i ? ((List<Object>) current).get(i) : ((Map<String, Object>) current).get(step);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node, Object... path) {
        return (List<Object>) at(node, path);
    }

    @Test
    void pollsWithinAPeriodShareOneSample() {
        metrics = List.of(histogram(1, 2, 0));
        assertThat(at(poll(ViewData.Query.DEFAULT), "seq")).isEqualTo(1);
        nanos[0] += 1_999_000_000L;
        assertThat(at(poll(ViewData.Query.DEFAULT), "seq")).isEqualTo(1);
        assertThat(reads).hasValue(1);
        nanos[0] += 1_000_000L;
        assertThat(at(poll(ViewData.Query.DEFAULT), "seq")).isEqualTo(2);
        assertThat(reads).hasValue(2);
    }

    @Test
    void samplesUnreadForTheIdleTimeAreDroppedButSequenceAndHistoryGoOn() {
        metrics = List.of(histogram(1, 0, 0));
        poll(ViewData.Query.DEFAULT);
        nanos[0] += 2_000_000_000L;
        metrics = List.of(histogram(3, 0, 0));
        poll(ViewData.Query.DEFAULT);
        nanos[0] += Sampler.IDLE.toNanos() - 1;
        assertThat(sampler.releaseIfIdle()).isFalse();
        nanos[0] += 1;
        assertThat(sampler.releaseIfIdle()).isTrue();
        assertThat(reads).hasValue(2);

        metrics = List.of(histogram(7, 0, 0));
        Map<String, Object> resumed = poll(ViewData.Query.DEFAULT);
        assertThat(reads).hasValue(3);
        assertThat(at(resumed, "seq")).isEqualTo(3);
        // The column from before stays; the first sample after the pause has nothing to differ from.
        assertThat(list(resumed, "columns")).hasSize(1);
        assertThat(list(resumed, "histograms", 0, "series", 0, "heat")).isEqualTo(List.of(List.of(2, 0, 0)));
        assertThat(list(resumed, "histograms", 0, "series", 0, "counts")).isEqualTo(List.of(7, 0, 0));
    }

    @Test
    void eachSampleAddsAHeatColumnOfWhatEachBucketGained() {
        metrics = List.of(histogram(1, 2, 0));
        Map<String, Object> first = poll(ViewData.Query.DEFAULT);
        assertThat(list(first, "columns")).isEmpty();
        assertThat(at(first, "histograms", 0, "unit")).isEqualTo("usecs");
        assertThat(list(first, "histograms", 0, "rows"))
                .isEqualTo(List.of(List.of("0", "1"), List.of("1", "2"), List.of("2", "+Inf")));
        assertThat(list(first, "histograms", 0, "series", 0, "counts")).isEqualTo(List.of(1, 2, 0));

        metrics = List.of(histogram(4, 2, 1));
        nanos[0] += 2_500_000_000L;
        Map<String, Object> second = poll(new ViewData.Query(1, 20, ""));
        assertThat(list(second, "columns")).isEqualTo(List.of(Map.of("seq", 2, "t", 3500, "dt", 2500)));
        assertThat(at(second, "histograms", 0, "series", 0, "labels")).isEqualTo("operation=\"write\"");
        assertThat(list(second, "histograms", 0, "series", 0, "heat")).isEqualTo(List.of(List.of(3, 0, 1)));
        assertThat(at(second, "histograms", 0, "series", 0, "tracked")).isEqualTo(true);

        // A page that already has seq 2 gets no column again.
        assertThat(list(poll(new ViewData.Query(2, 20, "")), "columns")).isEmpty();
    }

    @Test
    void countersAreRankedByRateAndFilteredByLabelText() {
        metrics = List.of(counter(10, 500));
        configs = List.of(config(0));
        poll(ViewData.Query.DEFAULT);
        metrics = List.of(counter(30, 502));
        configs = List.of(config(20_000_000));
        nanos[0] += 2_000_000_000L;
        Map<String, Object> data = poll(new ViewData.Query(1, 1, ""));
        assertThat(at(data, "counters", 0, "name")).isEqualTo("ebpf_exporter_timer_starts_total");
        assertThat(at(data, "counters", 0, "matching")).isEqualTo(2);
        assertThat(list(data, "counters", 0, "rows")).isEqualTo(
                List.of(Map.of("labels", "function=\"process_timeout\"", "value", 30, "rate", 10)));
        // 20 ms of run time in 2 s of wall time: 1 % of one CPU.
        assertThat(at(data, "configs", 0, "programs", 0, "cpu_percent")).isEqualTo(1);
        assertThat(at(data, "configs", 0, "programs", 0, "runs_per_second")).isEqualTo(10_000);

        Map<String, Object> filtered = poll(new ViewData.Query(2, 20, "KEEPALIVE"));
        assertThat(at(filtered, "counters", 0, "matching")).isEqualTo(1);
        assertThat(at(filtered, "counters", 0, "rows", 0, "labels")).isEqualTo("function=\"tcp_keepalive_timer\"");
        assertThat(at(filtered, "counters", 0, "rows", 0, "rate")).isEqualTo(1);
    }

    @Test
    void aHistogramSendsItsBusiestSeriesFirstAndAtMostTheCap() {
        List<HistogramDataPointSnapshot> points = new ArrayList<>();
        for (int s = 0; s < ViewData.MAX_HISTOGRAM_SERIES + 5; s++) {
            points.add(new HistogramDataPointSnapshot(ClassicHistogramBuckets.of(BOUNDS, new long[]{s, 0, 0}), 0,
                    Labels.of("cpu", Integer.toString(s)), Exemplars.EMPTY, 0L));
        }
        metrics = List.of(new HistogramSnapshot(new MetricMetadata("ebpf_exporter_x_seconds", "x"), points));
        Map<String, Object> data = poll(ViewData.Query.DEFAULT);
        assertThat(at(data, "histograms", 0, "series_total")).isEqualTo(ViewData.MAX_HISTOGRAM_SERIES + 5);
        assertThat(list(data, "histograms", 0, "series")).hasSize(ViewData.MAX_HISTOGRAM_SERIES);
        assertThat(at(data, "histograms", 0, "series", 0, "labels"))
                .isEqualTo("cpu=\"" + (ViewData.MAX_HISTOGRAM_SERIES + 4) + "\"");
    }
}
