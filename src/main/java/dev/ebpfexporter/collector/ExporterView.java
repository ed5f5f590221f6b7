package dev.ebpfexporter.collector;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.bpf.MapType;
import dev.ebpfexporter.bpf.ProgramInfo;
import dev.ebpfexporter.exposition.ClientJavaSnapshots;
import dev.ebpfexporter.metrics.MapMetric;
import dev.ebpfexporter.metrics.MetricSource;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * A read-only look at what is loaded, for the web view: each config's programs (with the kernel's
 * run statistics), maps and metrics as plain records, and a fresh snapshot of the configs' metrics.
 * Nothing here exposes a native handle or lets a caller change the loaded state.
 */
public final class ExporterView {
    private static final Logger LOG = LoggerFactory.getLogger(ExporterView.class);

    /**
     * A program as the kernel has it.
     *
     * @param error      why it is not attached (empty when attached)
     * @param runCount   times it ran (0 when the kernel's run statistics are off)
     * @param runTimeNs  total time it ran, in nanoseconds
     */
    public record Program(String name, String section, int id, String tag, boolean attached, Optional<String> error,
                          long runCount, long runTimeNs) {
    }

    /**
     * A map of a loaded object and the metrics that read it (exposed names).
     *
     * @param lostEvents for a perf or ring buffer with a count: events lost so far (as
     *                   {@code ebpf_exporter_events_lost_total}); empty for other maps
     */
    public record Map(String name, String type, int keySize, int valueSize, int maxEntries, List<String> metrics,
                      OptionalLong lostEvents) {
        public Map {
            metrics = List.copyOf(metrics);
        }

        /** A map that is not an event buffer with a lost-event count. */
        public Map(String name, String type, int keySize, int valueSize, int maxEntries, List<String> metrics) {
            this(name, type, keySize, valueSize, maxEntries, metrics, OptionalLong.empty());
        }
    }

    /**
     * A metric the series limit has cut.
     *
     * @param lastScrape series the latest scrape cut (0: it fit again)
     * @param dropped    series dropped since start, as ebpf_exporter_series_dropped_total counts them
     */
    public record SeriesCut(String metric, int limit, int lastScrape, long dropped) {
    }

    /** One loaded config; {@code cuts} lists its metrics the series limit has cut. */
    public record Config(String name, List<Program> programs, List<Map> maps, List<SeriesCut> cuts) {
        public Config {
            programs = List.copyOf(programs);
            maps = List.copyOf(maps);
            cuts = List.copyOf(cuts);
        }

        public Config(String name, List<Program> programs, List<Map> maps) {
            this(name, programs, maps, List.of());
        }
    }

    private final Supplier<List<LoadedConfig>> configs;
    private final Supplier<List<Exporter.ConfigFailure>> failures;
    private final Supplier<Optional<ReloadStatus>> status;

    public ExporterView(Supplier<List<LoadedConfig>> configs, Supplier<List<Exporter.ConfigFailure>> failures) {
        this(configs, failures, Optional::empty);
    }

    /** @param status how the start or the last reload went */
    public ExporterView(Supplier<List<LoadedConfig>> configs, Supplier<List<Exporter.ConfigFailure>> failures,
                        Supplier<Optional<ReloadStatus>> status) {
        this.configs = configs;
        this.failures = failures;
        this.status = status;
    }

    public static ExporterView of(Exporter exporter) {
        return new ExporterView(exporter::configs, exporter::failures, () -> Optional.of(exporter.status()));
    }

    /** How the start or the last reload went (empty where configs are not reloaded). */
    public Optional<ReloadStatus> status() {
        return status.get();
    }

    /** The configs that failed to load, each with its one-line reason. */
    public List<Exporter.ConfigFailure> failures() {
        return failures.get();
    }

    /** Every loaded config with its programs' current run statistics. */
    public List<Config> configs() {
        List<Config> result = new ArrayList<>();
        for (LoadedConfig config : configs.get()) {
            List<Program> programs = new ArrayList<>();
            for (ProgramState state : config.programs()) {
                programs.add(program(state));
            }
            List<Map> maps = new ArrayList<>();
            for (BpfMap map : config.object().maps()) {
                List<String> metrics = new ArrayList<>();
                for (MetricSource source : config.metrics()) {
                    if (source instanceof MapMetric metric && metric.map() == map) {
                        metrics.add(metric.config().name());
                    }
                }
                maps.add(new Map(map.name(), MapType.name(map.type()), map.keySize(), map.valueSize(),
                        map.maxEntries(), metrics, lostEvents(config, map.name())));
            }
            List<SeriesCut> cuts = new ArrayList<>();
            for (MetricSource metric : config.metrics()) {
                if (metric.limit().dropped() > 0) {
                    cuts.add(new SeriesCut(metric.config().name(), metric.limit().max(), metric.limit().lastCut(),
                            metric.limit().dropped()));
                }
            }
            result.add(new Config(config.name(), programs, maps, cuts));
        }
        return result;
    }

    private static OptionalLong lostEvents(LoadedConfig config, String map) {
        for (LostEvents.Buffer buffer : config.lostEvents()) {
            if (buffer.map().equals(map)) {
                try {
                    return OptionalLong.of(buffer.count().read());
                } catch (BpfException e) {
                    return OptionalLong.empty(); // not readable now: shown as unknown, not as 0
                }
            }
        }
        return OptionalLong.empty();
    }

    private static Program program(ProgramState state) {
        long runCount = 0;
        long runTimeNs = 0;
        if (state.id() != 0) {
            try {
                ProgramInfo info = state.program().info();
                runCount = info.runCount();
                runTimeNs = info.runTimeNs();
            } catch (BpfException e) {
                // no statistics to show for a program whose info cannot be read
            }
        }
        return new Program(state.program().name(), state.program().section(), state.id(), state.tag(),
                state.attached(), state.error(), runCount, runTimeNs);
    }

    /**
     * A fresh snapshot of every loaded config's metrics (not the exporter's own): one read of each
     * map, as a scrape does. A metric whose map cannot be read is left out of this snapshot.
     */
    public List<MetricSnapshot> metrics() {
        List<MetricSnapshot> snapshots = new ArrayList<>();
        for (LoadedConfig config : configs.get()) {
            for (MetricSource metric : config.metrics()) {
                try {
                    metric.collectAll().forEach(family -> snapshots.add(ClientJavaSnapshots.of(family)));
                } catch (BpfException | RuntimeException e) {
                    LOG.debug("config {}: metric {} left out of the web view's sample: {}", config.name(),
                            metric.config().name(), e.getMessage(), e);
                }
            }
        }
        return snapshots;
    }
}
