package dev.ebpfexporter.exposition;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * client_java's snapshots (the JVM metrics of its instrumentation) as our families, named as
 * client_java's text writer names them: counters get {@code _total}, info metrics {@code _info}
 * (a gauge of 1), state sets become a gauge per state. Native histogram data is not carried over
 * (the JVM metrics have none).
 */
public final class ClientJavaFamilies {
    private ClientJavaFamilies() {
    }

    public static List<Family> of(Iterable<MetricSnapshot> snapshots) {
        List<Family> families = new ArrayList<>();
        for (MetricSnapshot snapshot : snapshots) {
            families.add(of(snapshot));
        }
        return families;
    }

    static Family of(MetricSnapshot snapshot) {
        String name = snapshot.getMetadata().getPrometheusName();
        String help = snapshot.getMetadata().getHelp();
        return switch (snapshot) {
            case CounterSnapshot counter -> {
                Samples.Builder b = Samples.builder(name + "_total", help, MetricType.COUNTER);
                counter.getDataPoints().forEach(p -> b.add(p.getValue(), labels(p.getLabels())));
                yield b.build();
            }
            case GaugeSnapshot gauge -> {
                Samples.Builder b = Samples.builder(name, help, MetricType.GAUGE);
                gauge.getDataPoints().forEach(p -> b.add(p.getValue(), labels(p.getLabels())));
                yield b.build();
            }
            case UnknownSnapshot unknown -> {
                Samples.Builder b = Samples.builder(name, help, MetricType.UNTYPED);
                unknown.getDataPoints().forEach(p -> b.add(p.getValue(), labels(p.getLabels())));
                yield b.build();
            }
            case InfoSnapshot info -> {
                Samples.Builder b = Samples.builder(name + "_info", help, MetricType.GAUGE);
                info.getDataPoints().forEach(p -> b.add(1, labels(p.getLabels())));
                yield b.build();
            }
            case StateSetSnapshot stateSet -> {
                Samples.Builder b = Samples.builder(name, help, MetricType.GAUGE);
                for (StateSetSnapshot.StateSetDataPointSnapshot p : stateSet.getDataPoints()) {
                    for (int i = 0; i < p.size(); i++) {
                        b.add(p.isTrue(i) ? 1 : 0, labels(p.getLabels().add(name, p.getName(i))));
                    }
                }
                yield b.build();
            }
            case SummarySnapshot summary -> summaries(name, help, summary);
            case HistogramSnapshot histogram -> histograms(name, help, histogram);
            default -> throw new FamilyException(name + ": client_java type "
                    + snapshot.getClass().getSimpleName() + " is not supported");
        };
    }

    private static Summaries summaries(String name, String help, SummarySnapshot summary) {
        List<SummarySnapshot.SummaryDataPointSnapshot> points = summary.getDataPoints();
        double[] quantiles = points.isEmpty() ? new double[0] : quantilesOf(points.getFirst().getQuantiles());
        int n = points.size();
        LabelSet[] labels = new LabelSet[n];
        long[] counts = new long[n];
        double[] sums = new double[n];
        double[] values = new double[n * quantiles.length];
        for (int s = 0; s < n; s++) {
            SummarySnapshot.SummaryDataPointSnapshot p = points.get(s);
            labels[s] = labels(p.getLabels());
            counts[s] = p.hasCount() ? p.getCount() : 0;
            sums[s] = p.hasSum() ? p.getSum() : 0;
            if (p.getQuantiles().size() != quantiles.length) {
                throw new FamilyException(name + ": series with different quantiles");
            }
            for (int q = 0; q < quantiles.length; q++) {
                values[s * quantiles.length + q] = p.getQuantiles().get(q).getValue();
            }
        }
        return new Summaries(new FamilyMetadata(name, help, MetricType.SUMMARY), labels, n, counts, sums, quantiles, values);
    }

    private static double[] quantilesOf(Quantiles quantiles) {
        double[] result = new double[quantiles.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = quantiles.get(i).getQuantile();
        }
        return result;
    }

    private static Histograms histograms(String name, String help, HistogramSnapshot histogram) {
        List<HistogramSnapshot.HistogramDataPointSnapshot> points = histogram.getDataPoints();
        int n = points.size();
        double[] bounds = n == 0 ? new double[]{Double.POSITIVE_INFINITY} : boundsOf(points.getFirst().getClassicBuckets());
        LabelSet[] labels = new LabelSet[n];
        long[] counts = new long[n * bounds.length];
        double[] sums = new double[n];
        for (int s = 0; s < n; s++) {
            HistogramSnapshot.HistogramDataPointSnapshot p = points.get(s);
            ClassicHistogramBuckets buckets = p.getClassicBuckets();
            if (buckets.size() != bounds.length) {
                throw new FamilyException(name + ": series with different buckets");
            }
            labels[s] = labels(p.getLabels());
            sums[s] = p.hasSum() ? p.getSum() : 0;
            for (int b = 0; b < bounds.length; b++) {
                counts[s * bounds.length + b] = buckets.getCount(b);
            }
        }
        return new Histograms(new FamilyMetadata(name, help, MetricType.HISTOGRAM), labels, n, bounds, counts, sums);
    }

    private static double[] boundsOf(ClassicHistogramBuckets buckets) {
        double[] bounds = new double[buckets.size()];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = buckets.getUpperBound(i);
        }
        if (bounds.length == 0 || bounds[bounds.length - 1] != Double.POSITIVE_INFINITY) {
            throw new FamilyException("classic histogram buckets without +Inf");
        }
        return bounds;
    }

    static LabelSet labels(Labels labels) {
        return LabelSet.of(labels.size(), labels::getPrometheusName, labels::getValue);
    }

}
