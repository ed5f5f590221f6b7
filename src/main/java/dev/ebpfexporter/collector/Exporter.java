package dev.ebpfexporter.collector;

import dev.ebpfexporter.config.ExporterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The running set of loaded configs. Loading is per config: one that fails is reported and the
 * others carry on. Closing detaches and unloads everything, in reverse load order.
 */
public final class Exporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Exporter.class);

    private final ObjectLoader loader;
    private final List<LoadedConfig> loaded = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();

    public Exporter(ObjectLoader loader) {
        this.loader = loader;
    }

    /** Loads each config; returns the failures (one line each), empty when all loaded. */
    public List<String> load(List<ExporterConfig> configs) {
        List<String> failed = new ArrayList<>();
        for (ExporterConfig config : configs) {
            try {
                loaded.add(loader.load(config));
            } catch (LoadException e) {
                LOG.error("{}", e.getMessage());
                failed.add(e.getMessage());
            }
        }
        failures.addAll(failed);
        return failed;
    }

    /** Records a config that failed before loading (e.g. its YAML), so it shows on the landing page. */
    public void recordFailure(String failure) {
        failures.add(failure);
    }

    public List<LoadedConfig> configs() {
        return List.copyOf(loaded);
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Every program attached, in every loaded config. */
    public boolean allAttached() {
        return loaded.stream().flatMap(c -> c.programs().stream()).allMatch(ProgramState::attached);
    }

    @Override
    public synchronized void close() {
        List<LoadedConfig> reverse = new ArrayList<>(loaded);
        java.util.Collections.reverse(reverse);
        loaded.clear();
        for (LoadedConfig config : reverse) {
            try {
                config.close();
            } catch (RuntimeException e) {
                LOG.error("config {}: error while unloading: {}", config.name(), e.toString());
            }
        }
        if (!reverse.isEmpty()) {
            LOG.info("detached and unloaded {} configs", reverse.size());
        }
    }
}
