package dev.ebpfexporter.collector;

import dev.ebpfexporter.bpf.BpfException;
import dev.ebpfexporter.metrics.MetricSource;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Builds a fresh snapshot of every config's metrics per scrape. Nothing shared is mutated while
 * serving except each metric's decode cache; a map that cannot be read is logged and left out of
 * this scrape, never failing the others.
 */
public final class ExporterCollector implements MultiCollector {
    private static final Logger LOG = LoggerFactory.getLogger(ExporterCollector.class);

    private final Supplier<List<LoadedConfig>> configs;
    private final Supplier<List<Exporter.ConfigFailure>> failures;
    private final BuildInfo build;

    public ExporterCollector(Supplier<List<LoadedConfig>> configs, BuildInfo build) {
        this(configs, List::of, build);
    }

    /** @param failures configs that did not load, served around under {@code --config.allow-failures} */
    public ExporterCollector(Supplier<List<LoadedConfig>> configs, Supplier<List<Exporter.ConfigFailure>> failures,
                             BuildInfo build) {
        this.configs = configs;
        this.failures = failures;
        this.build = build;
    }

    @Override
    public MetricSnapshots collect() {
        List<LoadedConfig> current = configs.get();
        List<MetricSnapshot> snapshots = new ArrayList<>();
        for (LoadedConfig config : current) {
            for (MetricSource metric : config.metrics()) {
                try {
                    snapshots.addAll(metric.collectAll());
                } catch (BpfException e) {
                    LOG.warn("config {}: metric {} skipped this scrape: {}", config.name(), metric.config().name(),
                            e.getMessage());
                }
            }
        }
        snapshots.addAll(BuiltinMetrics.collect(current, failures.get(), build));
        return new MetricSnapshots(snapshots);
    }
}
