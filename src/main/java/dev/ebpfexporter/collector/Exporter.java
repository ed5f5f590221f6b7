package dev.ebpfexporter.collector;

import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.tracing.StartupTrace;
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
    private final StartupTrace trace;
    private final List<LoadedConfig> loaded = new CopyOnWriteArrayList<>();
    private final List<ConfigFailure> failures = new CopyOnWriteArrayList<>();

    /** A config that did not load (YAML, object, verifier, maps), with its one-line reason. */
    public record ConfigFailure(String name, String reason) {
    }

    public Exporter(ObjectLoader loader) {
        this(loader, StartupTrace.NONE);
    }

    /** @param trace where loading ({@code attach}) and closing ({@code detach}) are traced */
    public Exporter(ObjectLoader loader, StartupTrace trace) {
        this.loader = loader;
        this.trace = trace;
    }

    /** Loads each config; returns the failures (one line each), empty when all loaded. */
    public List<String> load(List<ExporterConfig> configs) {
        List<String> failed = new ArrayList<>();
        try (StartupTrace.Step attach = trace.root("attach");
             StartupTrace.Step attachConfigs = attach.child("attach_configs")) {
            for (ExporterConfig config : configs) {
                try (StartupTrace.Step step = attachConfigs.child("attach_config", "config", config.name())) {
                    try {
                        loaded.add(loader.load(config, step));
                    } catch (LoadException e) {
                        step.fail(e.getMessage());
                        LOG.error("{}", e.getMessage());
                        failed.add(e.getMessage());
                        failures.add(new ConfigFailure(e.config(), e.getMessage()));
                    } catch (RuntimeException | OutOfMemoryError e) {
                        // A bug or an exhausted heap while loading one config must not take the others down.
                        String message = "config " + config.name() + ": cannot load: " + e;
                        step.fail(message);
                        LOG.error("{}", message);
                        LOG.debug("config {}: load failure", config.name(), e);
                        failed.add(message);
                        failures.add(new ConfigFailure(config.name(), message));
                    }
                }
            }
        }
        return failed;
    }

    /** Records a config that failed before loading (e.g. its YAML), so it shows on the landing page. */
    public void recordFailure(String name, String reason) {
        failures.add(new ConfigFailure(name, reason));
    }

    public List<LoadedConfig> configs() {
        return List.copyOf(loaded);
    }

    public List<ConfigFailure> failures() {
        return List.copyOf(failures);
    }

    /** {@code config:program} of every program the kernel refused at load (the rest of its object loaded). */
    public List<String> refusedPrograms() {
        return loaded.stream().flatMap(c -> c.programs().stream().filter(ProgramState::refusedAtLoad)
                .map(p -> c.name() + ":" + p.program().name())).toList();
    }

    /** {@code config:program} of every loaded program that is not attached, as the reference lists them. */
    public List<String> missedAttachments() {
        return loaded.stream().flatMap(c -> c.programs().stream().filter(p -> !p.attached())
                .map(p -> c.name() + ":" + p.program().name())).toList();
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
        if (reverse.isEmpty()) {
            loader.closeSharedTracing();
            return;
        }
        try (StartupTrace.Step detach = trace.root("detach")) {
            for (LoadedConfig config : reverse) {
                try (StartupTrace.Step step = detach.child("close_module", "config", config.name())) {
                    config.programs().stream().filter(ProgramState::attached)
                            .forEach(p -> step.event("prog_detach", "SEC", p.program().section()));
                    step.event("close");
                    try {
                        config.close();
                    } catch (RuntimeException e) {
                        step.fail(e.toString());
                        LOG.error("config {}: error while unloading: {}", config.name(), e.toString());
                    }
                }
            }
        }
        LOG.info("detached and unloaded {} configs", reverse.size());
        loader.closeSharedTracing(); // after the configs: their pumps have sent their last spans
    }
}
