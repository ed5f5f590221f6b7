package dev.ebpfexporter.collector;

import dev.ebpfexporter.bpf.BpfException;
import dev.ebpfexporter.bpf.ProgramInfo;
import dev.ebpfexporter.metrics.MetricSource;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot.UnknownDataPointSnapshot;

import java.util.ArrayList;
import java.util.List;

/** The exporter's own metrics about configs and programs (names as the reference exporter has them). */
final class BuiltinMetrics {
    private static final String PREFIX = "ebpf_exporter_";

    private BuiltinMetrics() {
    }

    static List<MetricSnapshot> collect(List<LoadedConfig> configs, List<Exporter.ConfigFailure> failures, BuildInfo build) {
        List<GaugeDataPointSnapshot> enabled = new ArrayList<>();
        List<GaugeDataPointSnapshot> info = new ArrayList<>();
        List<GaugeDataPointSnapshot> attached = new ArrayList<>();
        List<UnknownDataPointSnapshot> runTime = new ArrayList<>();
        List<CounterDataPointSnapshot> runCount = new ArrayList<>();
        List<CounterDataPointSnapshot> decoderErrors = new ArrayList<>();
        List<CounterDataPointSnapshot> seriesDropped = new ArrayList<>();
        boolean unloadedReported = false;
        for (LoadedConfig config : configs) {
            enabled.add(new GaugeDataPointSnapshot(1, Labels.of("name", config.name()), null));
            decoderErrors.add(new CounterDataPointSnapshot(config.decoderErrors().sum(),
                    Labels.of("config", config.name()), null, 0L));
            for (ProgramState program : config.programs()) {
                String id = Integer.toString(program.id());
                if (program.id() == 0) {
                    // Refused at load: no kernel id; one id="0" series says "something is not attached".
                    info.add(new GaugeDataPointSnapshot(1, Labels.of("config", config.name(), "id", id,
                            "program", program.program().name(), "tag", ""), null));
                    if (!unloadedReported) {
                        attached.add(new GaugeDataPointSnapshot(0, Labels.of("id", id), null));
                        unloadedReported = true;
                    }
                    continue;
                }
                info.add(new GaugeDataPointSnapshot(1, Labels.of("config", config.name(), "id", id,
                        "program", program.program().name(), "tag", program.tag()), null));
                attached.add(new GaugeDataPointSnapshot(program.attached() ? 1 : 0, Labels.of("id", id), null));
                try {
                    ProgramInfo stats = program.program().info();
                    runTime.add(new UnknownDataPointSnapshot(stats.runTimeNs() / 1e9, Labels.of("id", id), null));
                    runCount.add(new CounterDataPointSnapshot(stats.runCount(), Labels.of("id", id), null, 0L));
                } catch (BpfException e) {
                    // a program whose info cannot be read has no run statistics to report
                }
            }
            for (MetricSource metric : config.metrics()) {
                seriesDropped.add(new CounterDataPointSnapshot(metric.limit().dropped(),
                        Labels.of("config", config.name(), "metric", metric.config().name()), null, 0L));
            }
        }
        List<MetricSnapshot> result = new ArrayList<>();
        result.add(new GaugeSnapshot(meta("enabled_configs", "The set of enabled configs"), enabled));
        if (!failures.isEmpty()) {
            // Only under --config.allow-failures (otherwise a failed config stops startup).
            result.add(new GaugeSnapshot(meta("failed_configs", "Configs that failed to load and are not served"),
                    failures.stream().map(f -> new GaugeDataPointSnapshot(1, Labels.of("name", f.name()), null)).toList()));
        }
        result.add(new GaugeSnapshot(meta("ebpf_program_info", "Info about ebpf programs"), info));
        result.add(new GaugeSnapshot(meta("ebpf_program_attached", "Whether a program is attached"), attached));
        // The reference exposes this counter without _total; client_java would add it, so it stays untyped.
        result.add(new UnknownSnapshot(meta("ebpf_program_run_time_seconds",
                "How long has the program been executing"), runTime));
        result.add(new CounterSnapshot(meta("ebpf_program_run_count", "How many times has the program been executed"),
                runCount));
        result.add(new CounterSnapshot(meta("decoder_errors", "How many times has decoders encountered errors"),
                decoderErrors));
        result.add(new CounterSnapshot(meta("series_dropped",
                "Series not exported because a metric reached its series limit"), seriesDropped));
        result.add(new GaugeSnapshot(meta("build_info", "Build information of ebpf-exporter"),
                List.of(new GaugeDataPointSnapshot(1, Labels.of("version", build.version(), "revision", build.revision(),
                        "java_version", Runtime.version().toString()), null))));
        return result;
    }

    private static MetricMetadata meta(String name, String help) {
        return new MetricMetadata(PREFIX + name, help);
    }
}
