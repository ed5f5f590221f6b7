package dev.ebpfexporter.view;

import dev.ebpfexporter.collector.ExporterView;
import dev.ebpfexporter.hist.DisplayUnit;
import dev.ebpfexporter.json.Json;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON the page polls ({@code /view/data}): programs with their run statistics and CPU share,
 * every histogram's series with per-bucket counts and the heatmap columns the caller has not seen
 * yet ({@code since}), and every counter's top series by rate, optionally filtered.
 */
final class ViewData {
    /** Series of one histogram sent per response, at most. */
    static final int MAX_HISTOGRAM_SERIES = 64;

    /** What one poll asks for. */
    record Query(long since, int top, String filter) {
        static final Query DEFAULT = new Query(0, 20, "");
    }

    private ViewData() {
    }

    static String render(Sampler.State state, Query query) {
        Sample latest = state.latest();
        Sample previous = state.previous();
        StringBuilder out = new StringBuilder(8192);
        out.append("{\"seq\":").append(latest.seq())
                .append(",\"time\":").append(latest.epochMillis())
                .append(",\"period_ms\":").append(Sampler.PERIOD.toMillis())
                .append(",\"sample_cpu_us\":").append(latest.cpuNanos() / 1000)
                .append(",\"configs\":[");
        configs(out, latest, previous);
        out.append("],\"columns\":[");
        List<HeatmapHistory.Column> columns = state.history().columnsAfter(query.since());
        for (int i = 0; i < columns.size(); i++) {
            HeatmapHistory.Column column = columns.get(i);
            out.append(i == 0 ? "" : ",").append("{\"seq\":").append(column.seq()).append(",\"t\":")
                    .append(column.epochMillis()).append(",\"dt\":").append(column.millis()).append('}');
        }
        out.append("],\"histograms\":[");
        boolean first = true;
        for (MetricSnapshot snapshot : latest.metrics()) {
            if (snapshot instanceof HistogramSnapshot histogram) {
                out.append(first ? "" : ",");
                histogram(out, histogram, state.history(), columns);
                first = false;
            }
        }
        out.append("],\"counters\":[");
        Map<String, Double> before = previous == null ? Map.of() : counterValues(previous);
        double seconds = previous == null ? 0 : (latest.nanoTime() - previous.nanoTime()) / 1e9;
        first = true;
        for (MetricSnapshot snapshot : latest.metrics()) {
            if (snapshot instanceof CounterSnapshot || snapshot instanceof UnknownSnapshot) {
                out.append(first ? "" : ",");
                counter(out, snapshot, before, seconds, query);
                first = false;
            }
        }
        return out.append("]}\n").toString();
    }

    private static void configs(StringBuilder out, Sample latest, Sample previous) {
        Map<String, ExporterView.Program> before = new HashMap<>();
        if (previous != null) {
            previous.configs().forEach(c -> c.programs().forEach(p -> before.put(c.name() + "/" + p.name(), p)));
        }
        double wallNs = previous == null ? 0 : latest.nanoTime() - previous.nanoTime();
        for (int c = 0; c < latest.configs().size(); c++) {
            ExporterView.Config config = latest.configs().get(c);
            out.append(c == 0 ? "" : ",").append("{\"name\":").append(Json.string(config.name())).append(",\"programs\":[");
            for (int p = 0; p < config.programs().size(); p++) {
                ExporterView.Program program = config.programs().get(p);
                ExporterView.Program then = before.get(config.name() + "/" + program.name());
                out.append(p == 0 ? "" : ",").append("{\"name\":").append(Json.string(program.name()))
                        .append(",\"attached\":").append(program.attached())
                        .append(",\"run_count\":").append(program.runCount())
                        .append(",\"run_time_ns\":").append(program.runTimeNs());
                if (then != null && wallNs > 0) {
                    out.append(",\"runs_per_second\":").append(number((program.runCount() - then.runCount()) / (wallNs / 1e9)))
                            .append(",\"cpu_percent\":").append(number((program.runTimeNs() - then.runTimeNs()) * 100 / wallNs));
                }
                out.append('}');
            }
            out.append("]}");
        }
    }

    private static void histogram(StringBuilder out, HistogramSnapshot histogram, HeatmapHistory history,
                                  List<HeatmapHistory.Column> columns) {
        String name = histogram.getMetadata().getName();
        var points = new ArrayList<>(histogram.getDataPoints());
        points.sort(Comparator.comparingLong((HistogramSnapshot.HistogramDataPointSnapshot p) -> p.getCount()).reversed());
        double[] bounds = points.isEmpty() ? new double[0] : bounds(points.getFirst().getClassicBuckets());
        DisplayUnit unit = DisplayUnit.of(name, bounds);
        out.append("{\"name\":").append(Json.string(name))
                .append(",\"help\":").append(Json.string(String.valueOf(histogram.getMetadata().getHelp())))
                .append(",\"unit\":").append(Json.string(unit.label()))
                .append(",\"rows\":[");
        for (int i = 0; i < bounds.length; i++) {
            String low = i > 0 ? unit.format(bounds[i - 1]) : bounds[0] >= 0 ? "0" : "-Inf";
            out.append(i == 0 ? "" : ",").append('[').append(Json.string(low)).append(',')
                    .append(Json.string(unit.format(bounds[i]))).append(']');
        }
        out.append("],\"series_total\":").append(points.size()).append(",\"series\":[");
        int shown = Math.min(points.size(), MAX_HISTOGRAM_SERIES);
        for (int s = 0; s < shown; s++) {
            var point = points.get(s);
            String key = Sampler.seriesKey(name, point.getLabels());
            ClassicHistogramBuckets buckets = point.getClassicBuckets();
            out.append(s == 0 ? "" : ",").append("{\"labels\":").append(Json.string(Sampler.labelText(point.getLabels())))
                    .append(",\"count\":").append(point.getCount())
                    .append(",\"sum\":").append(number(point.hasSum() ? point.getSum() : 0))
                    .append(",\"counts\":[");
            for (int i = 0; i < buckets.size(); i++) {
                out.append(i == 0 ? "" : ",").append(buckets.getCount(i));
            }
            out.append("],\"tracked\":").append(history.tracks(key)).append(",\"heat\":[");
            for (int c = 0; c < columns.size(); c++) {
                int[] deltas = history.deltas(key, columns.get(c));
                out.append(c == 0 ? "" : ",");
                if (deltas == null) {
                    out.append("null");
                } else {
                    out.append('[');
                    for (int i = 0; i < deltas.length; i++) {
                        out.append(i == 0 ? "" : ",").append(deltas[i]);
                    }
                    out.append(']');
                }
            }
            out.append("]}");
        }
        out.append("]}");
    }

    private static double[] bounds(ClassicHistogramBuckets buckets) {
        double[] bounds = new double[buckets.size()];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = buckets.getUpperBound(i);
        }
        return bounds;
    }

    /** One counter's rows: series matching the filter, by rate (then value), the top ones. */
    private static void counter(StringBuilder out, MetricSnapshot snapshot, Map<String, Double> before, double seconds,
                                Query query) {
        String name = exposedName(snapshot);
        record Row(String labels, double value, double rate) {
        }
        List<Row> rows = new ArrayList<>();
        String filter = query.filter().toLowerCase(Locale.ROOT);
        for (DataPointSnapshot point : snapshot.getDataPoints()) {
            String labels = Sampler.labelText(point.getLabels());
            if (!filter.isEmpty() && !labels.toLowerCase(Locale.ROOT).contains(filter)) {
                continue;
            }
            double value = value(point);
            Double then = before.get(Sampler.seriesKey(name, point.getLabels()));
            double rate = then == null || seconds <= 0 || value < then ? 0 : (value - then) / seconds;
            rows.add(new Row(labels, value, rate));
        }
        rows.sort(Comparator.comparingDouble(Row::rate).thenComparingDouble(Row::value).reversed());
        out.append("{\"name\":").append(Json.string(name))
                .append(",\"help\":").append(Json.string(String.valueOf(snapshot.getMetadata().getHelp())))
                .append(",\"series_total\":").append(snapshot.getDataPoints().size())
                .append(",\"matching\":").append(rows.size())
                .append(",\"rows\":[");
        for (int i = 0; i < Math.min(query.top(), rows.size()); i++) {
            Row row = rows.get(i);
            out.append(i == 0 ? "" : ",").append("{\"labels\":").append(Json.string(row.labels()))
                    .append(",\"value\":").append(number(row.value()))
                    .append(",\"rate\":").append(number(row.rate())).append('}');
        }
        out.append("]}");
    }

    private static Map<String, Double> counterValues(Sample sample) {
        Map<String, Double> values = new HashMap<>();
        for (MetricSnapshot snapshot : sample.metrics()) {
            if (snapshot instanceof CounterSnapshot || snapshot instanceof UnknownSnapshot) {
                String name = exposedName(snapshot);
                for (DataPointSnapshot point : snapshot.getDataPoints()) {
                    values.put(Sampler.seriesKey(name, point.getLabels()), value(point));
                }
            }
        }
        return values;
    }

    /** Counters as the text exposition names them (client_java adds {@code _total} when it writes). */
    private static String exposedName(MetricSnapshot snapshot) {
        String name = snapshot.getMetadata().getName();
        return snapshot instanceof CounterSnapshot ? name + "_total" : name;
    }

    private static double value(DataPointSnapshot point) {
        return switch (point) {
            case CounterSnapshot.CounterDataPointSnapshot counter -> counter.getValue();
            case UnknownSnapshot.UnknownDataPointSnapshot unknown -> unknown.getValue();
            default -> 0;
        };
    }

    /** A JSON number (JSON has no NaN or infinity: those become 0). */
    private static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "0";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.6g", value);
    }
}
