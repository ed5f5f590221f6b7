package dev.ebpfexporter.exposition;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * Our families in client_java's snapshot model, for readers written against it (the web view) and
 * for comparing our writers with client_java's. Not on the scrape path.
 */
public final class ClientJavaSnapshots {
    private ClientJavaSnapshots() {
    }

    private static Labels labels(LabelSet set) {
        String[] names = new String[set.size()];
        String[] values = new String[set.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = set.name(i);
            values[i] = set.value(i);
        }
        return Labels.of(names, values);
    }

    /** {@code family} in client_java's model (its public, checking constructors). */
    public static MetricSnapshot of(Family family) {
        String name = family.metadata().name();
        String help = family.metadata().help().isEmpty() ? null : family.metadata().help();
        return switch (family) {
            case Samples s -> switch (s.metadata().type()) {
                case COUNTER -> {
                    if (!name.endsWith("_total")) {
                        // client_java cannot name a counter without _total: such a counter is unknown there.
                        List<UnknownSnapshot.UnknownDataPointSnapshot> points = new ArrayList<>();
                        for (int i = 0; i < s.size(); i++) {
                            points.add(new UnknownSnapshot.UnknownDataPointSnapshot(s.value(i), labels(s.labels(i)), null));
                        }
                        yield new UnknownSnapshot(new MetricMetadata(name, help), points);
                    }
                    List<CounterSnapshot.CounterDataPointSnapshot> points = new ArrayList<>();
                    for (int i = 0; i < s.size(); i++) {
                        points.add(new CounterSnapshot.CounterDataPointSnapshot(s.value(i), labels(s.labels(i)), null, 0L));
                    }
                    yield new CounterSnapshot(new MetricMetadata(name.endsWith("_total")
                            ? name.substring(0, name.length() - 6) : name, help), points);
                }
                case GAUGE -> {
                    List<GaugeSnapshot.GaugeDataPointSnapshot> points = new ArrayList<>();
                    for (int i = 0; i < s.size(); i++) {
                        points.add(new GaugeSnapshot.GaugeDataPointSnapshot(s.value(i), labels(s.labels(i)), null));
                    }
                    yield new GaugeSnapshot(new MetricMetadata(name, help), points);
                }
                default -> {
                    List<UnknownSnapshot.UnknownDataPointSnapshot> points = new ArrayList<>();
                    for (int i = 0; i < s.size(); i++) {
                        points.add(new UnknownSnapshot.UnknownDataPointSnapshot(s.value(i), labels(s.labels(i)), null));
                    }
                    yield new UnknownSnapshot(new MetricMetadata(name, help), points);
                }
            };
            case Histograms h -> {
                List<HistogramSnapshot.HistogramDataPointSnapshot> points = new ArrayList<>();
                for (int i = 0; i < h.size(); i++) {
                    long[] counts = new long[h.buckets()];
                    System.arraycopy(h.counts(), i * h.buckets(), counts, 0, h.buckets());
                    ClassicHistogramBuckets classic = ClassicHistogramBuckets.of(h.upperBounds(), counts);
                    NativeLayout layout = h.nativeLayout();
                    points.add(layout == null
                            ? new HistogramSnapshot.HistogramDataPointSnapshot(classic, h.sums()[i],
                                    labels(h.labels(i)), Exemplars.EMPTY, 0L)
                            : new HistogramSnapshot.HistogramDataPointSnapshot(classic, NativeLayout.SCHEMA,
                                    layout.zeroBucket() ? counts[0] : 0, layout.zeroThreshold(h.count(i)),
                                    nativeBuckets(layout, counts), NativeHistogramBuckets.EMPTY, h.sums()[i],
                                    labels(h.labels(i)), Exemplars.EMPTY, 0L));
                }
                yield new HistogramSnapshot(new MetricMetadata(name, help), points);
            }
            case Summaries sm -> {
                List<SummarySnapshot.SummaryDataPointSnapshot> points = new ArrayList<>();
                for (int i = 0; i < sm.size(); i++) {
                    List<Quantile> quantiles = new ArrayList<>();
                    for (int q = 0; q < sm.quantiles().length; q++) {
                        quantiles.add(new Quantile(sm.quantiles()[q], sm.quantileValues()[i * sm.quantiles().length + q]));
                    }
                    points.add(new SummarySnapshot.SummaryDataPointSnapshot(sm.counts()[i], sm.sums()[i],
                            Quantiles.of(quantiles), labels(sm.labels(i)), Exemplars.EMPTY, 0L));
                }
                yield new SummarySnapshot(new MetricMetadata(name, help), points);
            }
        };
    }

    /** The non-empty exponential buckets of one series' classic counts (the last, +Inf, is empty). */
    private static NativeHistogramBuckets nativeBuckets(NativeLayout layout, long[] counts) {
        NativeHistogramBuckets.Builder buckets = NativeHistogramBuckets.builder();
        for (int b = layout.firstRegularBucket(); b < counts.length - 1; b++) {
            if (counts[b] != 0) {
                buckets.bucket(layout.index(b), counts[b]);
            }
        }
        return buckets.build();
    }
}
