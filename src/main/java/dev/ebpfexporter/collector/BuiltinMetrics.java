package dev.ebpfexporter.collector;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.sys.LibBpf;
import dev.ebpfexporter.bpf.ProgramInfo;
import dev.ebpfexporter.exposition.Family;
import dev.ebpfexporter.exposition.MetricType;
import dev.ebpfexporter.exposition.Samples;
import dev.ebpfexporter.metrics.MetricSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The exporter's own metrics about configs and programs (names and types as the reference exporter has them). */
final class BuiltinMetrics {
    private static final String PREFIX = "ebpf_exporter_";

    private BuiltinMetrics() {
    }

    /** @param status how the start or the last reload went (empty where no reload can happen: tests, benchmarks) */
    static List<Family> collect(List<LoadedConfig> configs, List<Exporter.ConfigFailure> failures,
                                Optional<ReloadStatus> status, BuildInfo build) {
        Samples.Builder enabled = gauge("enabled_configs", "The set of enabled configs");
        Samples.Builder info = gauge("ebpf_program_info", "Info about ebpf programs");
        Samples.Builder attached = gauge("ebpf_program_attached", "Whether a program is attached");
        Samples.Builder runTime = counter("ebpf_program_run_time_seconds", "How long has the program been executing");
        Samples.Builder runCount = counter("ebpf_program_run_count_total", "How many times has the program been executed");
        Samples.Builder decoderErrors = counter("decoder_errors_total", "How many times has decoders encountered errors");
        Samples.Builder seriesDropped = counter("series_dropped_total",
                "Series not exported because a metric reached its series limit");
        Samples.Builder expiredKeys = counter("expired_keys_total",
                "Keys deleted from a metric's map because its series did not change for expire_after");
        Samples.Builder eventsLost = counter("events_lost_total",
                "Events lost on the way from a program to the exporter: dropped by a full perf buffer, or counted"
                        + " by the program in <ring buffer>_lost");
        boolean anyExpiry = false;
        boolean unloadedReported = false;
        for (LoadedConfig config : configs) {
            enabled.add(1, "name", config.name());
            decoderErrors.add(config.decoderErrors().sum(), "config", config.name());
            for (ProgramState program : config.programs()) {
                String id = Integer.toString(program.id());
                if (program.id() == 0) {
                    // Refused at load: no kernel id; one id="0" series says "something is not attached".
                    info.add(1, "config", config.name(), "id", id, "program", program.program().name(), "tag", "");
                    if (!unloadedReported) {
                        attached.add(0, "id", id);
                        unloadedReported = true;
                    }
                    continue;
                }
                info.add(1, "config", config.name(), "id", id, "program", program.program().name(), "tag", program.tag());
                attached.add(program.attached() ? 1 : 0, "id", id);
                try {
                    ProgramInfo stats = program.program().info();
                    runTime.add(stats.runTimeNs() / 1e9, "id", id);
                    runCount.add(stats.runCount(), "id", id);
                } catch (BpfException e) {
                    // a program whose info cannot be read has no run statistics to report
                }
            }
            for (LostEvents.Buffer buffer : config.lostEvents()) {
                try {
                    eventsLost.add(buffer.count().read(), "config", config.name(), "map", buffer.map());
                } catch (BpfException e) {
                    // a count that cannot be read now is left out of this scrape, not reported as 0
                }
            }
            for (MetricSource metric : config.metrics()) {
                seriesDropped.add(metric.limit().dropped(), "config", config.name(), "metric", metric.config().name());
                if (metric.expiredKeys().isPresent()) {
                    expiredKeys.add(metric.expiredKeys().getAsLong(), "config", config.name(), "metric",
                            metric.config().name());
                    anyExpiry = true;
                }
            }
        }
        Samples buildInfo = gauge("build_info", "Build information of ebpf-exporter")
                .add(1, "version", build.version(), "revision", build.revision(), "java_version", Runtime.version().toString(),
                        "libbpf_version", LibBpf.version())
                .build();
        List<Family> result = new ArrayList<>();
        result.add(enabled.build());
        if (!failures.isEmpty()) {
            // Only under --config.allow-failures (otherwise a failed config stops startup).
            Samples.Builder failed = gauge("failed_configs", "Configs that failed to load and are not served");
            failures.forEach(f -> failed.add(1, "name", f.name()));
            result.add(failed.build());
        }
        result.addAll(List.of(info.build(), attached.build(), runTime.build(), runCount.build(), decoderErrors.build(),
                seriesDropped.build()));
        if (configs.stream().anyMatch(config -> !config.lostEvents().isEmpty())) {
            result.add(eventsLost.build());
        }
        if (anyExpiry) {
            // Only where a metric has expire_after: other metrics never expire keys.
            result.add(expiredKeys.build());
        }
        result.add(buildInfo);
        if (status.isPresent()) {
            // As Prometheus names its own: 1/0, and the time of the last load that had no failure (0: never).
            result.add(gauge("config_last_reload_successful", "Whether the last configuration reload attempt was successful")
                    .add(status.get().successful() ? 1 : 0).build());
            result.add(gauge("config_last_reload_success_timestamp_seconds", "Timestamp of the last successful configuration reload")
                    .add(status.get().lastSuccess().map(t -> t.toEpochMilli() / 1000.0).orElse(0.0)).build());
        }
        return result;
    }

    private static Samples.Builder gauge(String name, String help) {
        return Samples.builder(PREFIX + name, help, MetricType.GAUGE);
    }

    private static Samples.Builder counter(String name, String help) {
        return Samples.builder(PREFIX + name, help, MetricType.COUNTER);
    }
}
