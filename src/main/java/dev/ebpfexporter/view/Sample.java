package dev.ebpfexporter.view;

import dev.ebpfexporter.collector.ExporterView;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.util.List;

/**
 * One reading of everything the view shows.
 *
 * @param seq          increases by one per sample
 * @param epochMillis  wall clock time of the reading
 * @param nanoTime     monotonic time of the reading (for rates)
 * @param cpuNanos     CPU time the reading took (map reads and decoding)
 */
record Sample(long seq, long epochMillis, long nanoTime, List<ExporterView.Config> configs,
              List<MetricSnapshot> metrics, long cpuNanos) {
    Sample {
        configs = List.copyOf(configs);
        metrics = List.copyOf(metrics);
    }
}
