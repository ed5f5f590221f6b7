package dev.ebpfexporter.otlp;

import dev.ebpfexporter.exposition.Histograms;
import dev.ebpfexporter.exposition.NativeLayout;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramBuckets;
import io.opentelemetry.sdk.metrics.data.ExponentialHistogramPointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;

import java.util.ArrayList;
import java.util.List;

/**
 * One histogram series as an OpenTelemetry point, from its classic bucket counts and nothing else,
 * so that both kinds are exact: an explicit-bucket point has the classic bounds (without {@code +Inf})
 * and counts, and an exponential point (families with a {@link NativeLayout}) has the same counts as
 * scale-0 buckets. No minimum or maximum: the buckets do not say them.
 */
final class HistogramPoints {
    private HistogramPoints() {
    }

    static HistogramPointData explicit(Histograms h, int series, Attributes attributes, long start, long now) {
        int stride = h.buckets();
        List<Double> bounds = new ArrayList<>(stride - 1);
        for (int b = 0; b < stride - 1; b++) {
            bounds.add(h.upperBounds()[b]);
        }
        List<Long> counts = new ArrayList<>(stride);
        for (int b = 0; b < stride; b++) {
            counts.add(h.counts()[series * stride + b]);
        }
        return HistogramPointData.create(start, now, attributes, h.sums()[series], false, 0, false, 0, bounds, counts);
    }

    /**
     * OpenTelemetry's bucket {@code i} at scale 0 is {@code (2^i, 2^(i+1)]}: the classic bucket with upper
     * bound {@code 2^k} (Prometheus index {@code k}) is its bucket {@code k - 1}. Every regular classic
     * bucket is sent, empty ones included, so the offset is that of the first one. The zero bucket holds
     * only 0 (its classic upper bound is 0): the SDK's point has no zero threshold and sends 0, which is
     * exact for it.
     */
    static ExponentialHistogramPointData exponential(Histograms h, int series, Attributes attributes, long start,
                                                     long now) {
        NativeLayout layout = h.nativeLayout();
        int stride = h.buckets();
        int from = series * stride;
        h.requireExponential(series);
        List<Long> counts = new ArrayList<>(stride);
        for (int b = layout.firstRegularBucket(); b < stride - 1; b++) {
            counts.add(h.counts()[from + b]);
        }
        int offset = layout.firstIndex() - 1;
        ExponentialHistogramBuckets positive = ExponentialHistogramBuckets.create(NativeLayout.SCHEMA, offset, counts);
        ExponentialHistogramBuckets negative = ExponentialHistogramBuckets.create(NativeLayout.SCHEMA, 0, List.of());
        long zeroCount = layout.zeroBucket() ? h.counts()[from] : 0;
        return ExponentialHistogramPointData.create(NativeLayout.SCHEMA, h.sums()[series], zeroCount, false, 0, false,
                0, positive, negative, start, now, attributes, List.of());
    }
}
