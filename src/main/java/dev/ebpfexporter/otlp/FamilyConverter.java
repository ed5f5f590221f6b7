package dev.ebpfexporter.otlp;

import dev.ebpfexporter.exposition.Family;
import dev.ebpfexporter.exposition.Histograms;
import dev.ebpfexporter.exposition.LabelSet;
import dev.ebpfexporter.exposition.MetricType;
import dev.ebpfexporter.exposition.Samples;
import dev.ebpfexporter.exposition.Summaries;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramData;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.GaugeData;
import io.opentelemetry.sdk.metrics.data.HistogramData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.SumData;
import io.opentelemetry.sdk.metrics.data.SummaryData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.metrics.data.ValueAtQuantile;
import io.opentelemetry.sdk.resources.Resource;

import java.util.ArrayList;
import java.util.List;

/**
 * Converts one family of a collection to OpenTelemetry metric data: counters to monotonic cumulative
 * sums, gauges and untyped to gauges, summaries to summaries, histograms to exponential histograms
 * where the family has a native layout and to explicit-bucket histograms otherwise. The metric's name
 * is the family's (prefix and {@code _total} included), its description the help; each series' labels
 * are its attributes. Every point is cumulative from {@code startNanos}.
 */
record FamilyConverter(Resource resource, InstrumentationScopeInfo scope, long startNanos, long nowNanos) {
    MetricData convert(Family family) {
        String name = family.metadata().name();
        String help = family.metadata().help();
        return switch (family) {
            case Samples s when s.metadata().type() == MetricType.COUNTER ->
                    new OtlpMetric(resource, scope, name, help, MetricDataType.DOUBLE_SUM,
                            SumData.createDoubleSumData(true, AggregationTemporality.CUMULATIVE, values(s)));
            case Samples s -> new OtlpMetric(resource, scope, name, help, MetricDataType.DOUBLE_GAUGE,
                    GaugeData.createDoubleGaugeData(values(s)));
            case Histograms h when h.nativeLayout() != null ->
                    new OtlpMetric(resource, scope, name, help, MetricDataType.EXPONENTIAL_HISTOGRAM,
                            ExponentialHistogramData.create(AggregationTemporality.CUMULATIVE, exponential(h)));
            case Histograms h -> new OtlpMetric(resource, scope, name, help, MetricDataType.HISTOGRAM,
                    HistogramData.create(AggregationTemporality.CUMULATIVE, explicit(h)));
            case Summaries s -> new OtlpMetric(resource, scope, name, help, MetricDataType.SUMMARY,
                    SummaryData.create(summaries(s)));
        };
    }

    static Attributes attributes(LabelSet labels) {
        AttributesBuilder builder = Attributes.builder();
        for (int i = 0; i < labels.size(); i++) {
            builder.put(labels.name(i), labels.value(i));
        }
        return builder.build();
    }

    private List<DoublePointData> values(Samples s) {
        List<DoublePointData> points = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            points.add(DoublePointData.create(startNanos, nowNanos, attributes(s.labels(i)), s.value(i), List.of()));
        }
        return points;
    }

    private List<ExponentialHistogramPointData> exponential(Histograms h) {
        List<ExponentialHistogramPointData> points = new ArrayList<>(h.size());
        for (int i = 0; i < h.size(); i++) {
            points.add(HistogramPoints.exponential(h, i, attributes(h.labels(i)), startNanos, nowNanos));
        }
        return points;
    }

    private List<HistogramPointData> explicit(Histograms h) {
        List<HistogramPointData> points = new ArrayList<>(h.size());
        for (int i = 0; i < h.size(); i++) {
            points.add(HistogramPoints.explicit(h, i, attributes(h.labels(i)), startNanos, nowNanos));
        }
        return points;
    }

    private List<SummaryPointData> summaries(Summaries s) {
        int quantiles = s.quantiles().length;
        List<SummaryPointData> points = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            List<ValueAtQuantile> values = new ArrayList<>(quantiles);
            for (int q = 0; q < quantiles; q++) {
                values.add(ValueAtQuantile.create(s.quantiles()[q], s.quantileValues()[i * quantiles + q]));
            }
            points.add(SummaryPointData.create(startNanos, nowNanos, attributes(s.labels(i)), s.counts()[i],
                    s.sums()[i], values));
        }
        return points;
    }
}
