package dev.ebpfexporter.collector;

import dev.ebpfexporter.bpf.link.PostAttachMark;
import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.lifecycle.Concurrently;
import dev.ebpfexporter.pin.PinDirectory;
import dev.ebpfexporter.pin.PinException;
import dev.ebpfexporter.tracing.StartupTrace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The running set of loaded configs. Loading is per config: one that fails is reported and the
 * others carry on. A reload loads what changed beside what runs, then swaps the new set in at once
 * (see {@link Generation}); closing detaches and unloads everything, in reverse load order.
 */
public final class Exporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Exporter.class);
    /** How long a reload or close waits for scrapes still reading the configs it takes away. */
    private static final long DRAIN_MILLIS = 10_000;

    private final ObjectLoader loader;
    private final StartupTrace trace;
    /** Serializes start, reloads and close: one change to the set of configs at a time. */
    private final Object changes = new Object();
    private volatile Generation current = new Generation(List.of(), List.of(),
            new ReloadStatus(true, Optional.empty(), Instant.now(), List.of(), "nothing loaded yet"));
    private boolean closed;

    /** A config that did not load (YAML, object, verifier, maps), with its one-line reason. */
    public record ConfigFailure(String name, String reason) {
    }

    /**
     * One scrape's view of the configs: the same set from {@link Exporter#scrape()} to {@link #close()}, and
     * none of its configs is closed before then (a reload waits, up to 10 s).
     */
    public static final class Scrape implements AutoCloseable {
        private final Generation generation;

        private Scrape(Generation generation) {
            this.generation = generation;
        }

        public List<LoadedConfig> configs() {
            return generation.loaded();
        }

        public List<ConfigFailure> failures() {
            return generation.failures();
        }

        public ReloadStatus status() {
            return generation.status();
        }

        @Override
        public void close() {
            generation.exit();
        }
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
        return load(new ConfigFiles.Wanted(configs.stream().map(c -> new ConfigFiles.Version(c, "")).toList(),
                List.of()));
    }

    /**
     * At start: loads every config that read, beside the failures of those that did not; returns the
     * failures of both (one line each), empty when all loaded.
     */
    public List<String> load(ConfigFiles.Wanted wanted) {
        synchronized (changes) {
            List<Generation.Entry> loaded = new ArrayList<>(current.configs());
            List<ConfigFailure> failures = new ArrayList<>(current.failures());
            failures.addAll(wanted.failures());
            List<String> failed = new ArrayList<>(wanted.failures().stream().map(ConfigFailure::reason).toList());
            try (StartupTrace.Step attach = trace.root("attach");
                 StartupTrace.Step attachConfigs = attach.child("attach_configs")) {
                for (ConfigFiles.Version version : wanted.configs()) {
                    try (StartupTrace.Step step = attachConfigs.child("attach_config", "config", version.config().name())) {
                        Loading result = loadOne(version.config(), step);
                        if (result.failure().isPresent()) {
                            failed.add(result.failure().get());
                            failures.add(new ConfigFailure(version.config().name(), result.failure().get()));
                        } else {
                            loaded.add(new Generation.Entry(result.config().orElseThrow(), version.digest()));
                        }
                    }
                }
            }
            String summary = loaded.size() + " configs loaded, " + failures.size() + " failed";
            current = new Generation(loaded, failures, ReloadStatus.after(failed, summary, Optional.empty()));
            markAttached();
            return failed;
        }
    }

    /** A config loaded, or why not (one line, already logged). */
    private record Loading(Optional<LoadedConfig> config, Optional<String> failure) {
    }

    private Loading loadOne(ExporterConfig config, StartupTrace.Step step) {
        try {
            return new Loading(Optional.of(loader.load(config, step)), Optional.empty());
        } catch (LoadException e) {
            step.fail(e.getMessage());
            LOG.error("{}", e.getMessage());
            LOG.debug("config {}: load failure", config.name(), e);
            return new Loading(Optional.empty(), Optional.of(e.getMessage()));
        } catch (RuntimeException | OutOfMemoryError e) {
            // A bug or an exhausted heap while loading one config must not take the others down.
            String message = "config " + config.name() + ": cannot load: " + e;
            step.fail(message);
            LOG.error("{}", message);
            LOG.debug("config {}: load failure", config.name(), e);
            return new Loading(Optional.empty(), Optional.of(message));
        }
    }

    /**
     * Re-reads nothing itself: swaps in {@code wanted}, the configs as they are on disk now. A config whose digest
     * is unchanged keeps running untouched (programs, maps, counts). A changed or new one is loaded and attached
     * beside what runs, and the version it replaces is detached right after; when it fails, the version that
     * runs stays (a new one is not served) and the failure is in the returned status. Configs no longer wanted are closed, and their pins removed. Scrapes switch from
     * the old set to the new one at once; configs that only the old set has are closed after the scrapes
     * reading them have finished.
     */
    public ReloadStatus reload(ConfigFiles.Wanted wanted) {
        synchronized (changes) {
            if (closed) {
                return current.status();
            }
            long started = System.nanoTime();
            Generation old = current;
            Map<String, Generation.Entry> running = new LinkedHashMap<>();
            old.configs().forEach(e -> running.put(e.config().name(), e));
            List<Generation.Entry> next = new ArrayList<>();
            List<LoadedConfig> retired = new ArrayList<>();
            List<ConfigFailure> failures = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            int unchanged = 0;
            int changed = 0;
            int added = 0;
            for (ConfigFiles.Version version : wanted.configs()) {
                String name = version.config().name();
                Generation.Entry before = running.remove(name);
                if (before != null && before.digest().equals(version.digest())) {
                    next.add(before);
                    unchanged++;
                    continue;
                }
                Loading result = loadOne(version.config(), StartupTrace.none());
                if (result.config().isPresent()) {
                    next.add(new Generation.Entry(result.config().get(), version.digest()));
                    if (before != null) {
                        // At once: while both versions are attached an event runs both, and with pinned maps
                        // that the two share it would be counted twice. Scrapes may read its maps until closed.
                        before.config().detach();
                        retired.add(before.config());
                        changed++;
                    } else {
                        added++;
                    }
                } else if (before != null) {
                    next.add(before);
                    errors.add(result.failure().get() + " (the previous version keeps running)");
                } else {
                    failures.add(new ConfigFailure(name, result.failure().get()));
                    errors.add(result.failure().get());
                }
            }
            for (ConfigFailure failure : wanted.failures()) {
                // A file or inline program that did not read: whatever ran from it keeps running.
                List<String> kept = running.keySet().stream()
                        .filter(n -> n.equals(failure.name()) || n.startsWith(failure.name() + "/")).toList();
                kept.forEach(n -> next.add(running.remove(n)));
                if (kept.isEmpty()) {
                    failures.add(failure);
                    errors.add(failure.reason());
                } else {
                    errors.add(failure.reason() + " (the previous version keeps running)");
                }
            }
            List<String> removed = List.copyOf(running.keySet());
            running.values().forEach(e -> retired.add(e.config()));
            String summary = changed + " changed, " + added + " added, " + removed.size() + " removed, " + unchanged
                    + " unchanged" + (errors.isEmpty() ? "" : ", " + errors.size() + " failed");
            ReloadStatus status = ReloadStatus.after(errors, summary, old.status().lastSuccess());
            current = new Generation(next, failures, status);
            long swapped = System.nanoTime();
            if (!old.retire(DRAIN_MILLIS)) {
                LOG.warn("reload: scrapes still read the previous configs after {} ms; closing them anyway", DRAIN_MILLIS);
            }
            try {
                closeConfigs(retired, StartupTrace.NONE);
            } catch (RuntimeException | Error e) {
                // Logged with its cause, per config, as it closed; the new set is in place either way.
            }
            if (changed + added > 0) {
                markAttached(); // the new configs' programs on it run once too (and so, again, those of the others)
            }
            for (String name : removed) {
                LOG.info("config {}: removed (no longer in the config files)", name);
                removePins(name);
            }
            long ended = System.nanoTime();
            errors.forEach(e -> LOG.error("reload: {}", e));
            LOG.info("reload {}: {} in {} ms (loading {} ms, closing the replaced {} ms)",
                    errors.isEmpty() ? "successful" : "failed", summary, (ended - started) / 1_000_000,
                    (swapped - started) / 1_000_000, (ended - swapped) / 1_000_000);
            return status;
        }
    }

    private void removePins(String name) {
        Optional<PinDirectory> pins = loader.pins();
        if (pins.isPresent()) {
            try {
                pins.get().remove(name);
            } catch (PinException e) {
                LOG.warn("config {}: {}", name, e.getMessage());
                LOG.debug("config {}: pins not removed", name, e);
            }
        }
    }

    /** Runs the programs attached to the reference's {@code post_attach_mark}, now that every config is attached. */
    private static void markAttached() {
        try {
            PostAttachMark.call();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("post_attach_mark: cannot call it, programs attached to it do not run: {}", e.toString());
            LOG.debug("post_attach_mark", e);
        }
    }

    /** Records a config that failed before loading (e.g. its YAML), so it shows on the landing page. */
    public void recordFailure(String name, String reason) {
        synchronized (changes) {
            Generation now = current;
            List<ConfigFailure> failures = new ArrayList<>(now.failures());
            failures.add(new ConfigFailure(name, reason));
            current = new Generation(now.configs(), failures, now.status());
        }
    }

    /** Starts one scrape's read of the configs; close it when the scrape is written. */
    public Scrape scrape() {
        while (true) {
            Generation generation = current;
            if (generation.enter()) {
                return new Scrape(generation);
            }
            // Retired between the read and the enter: a newer generation is current already.
        }
    }

    public List<LoadedConfig> configs() {
        return current.loaded();
    }

    public List<ConfigFailure> failures() {
        return current.failures();
    }

    /** How the start or the last reload went. */
    public ReloadStatus status() {
        return current.status();
    }

    /**
     * {@code config:program} of every program the kernel refused at load (the rest of its object loaded)
     * that no other program of its config stands in for ({@link LoadedConfig#refused()}).
     */
    public List<String> refusedPrograms() {
        return configs().stream().flatMap(c -> c.refused().stream().map(p -> c.name() + ":" + p.program().name())).toList();
    }

    /**
     * {@code config:program} of every loaded program that is not attached, as the reference lists them, but
     * for those whose stand-in in the same config attached ({@link LoadedConfig#missed()}).
     */
    public List<String> missedAttachments() {
        return configs().stream().flatMap(c -> c.missed().stream().map(p -> c.name() + ":" + p.program().name())).toList();
    }

    /** Every program attached, in every loaded config. */
    public boolean allAttached() {
        return configs().stream().flatMap(c -> c.programs().stream()).allMatch(ProgramState::attached);
    }

    @Override
    public void close() {
        synchronized (changes) {
            if (closed) {
                return;
            }
            closed = true;
            Generation last = current;
            current = new Generation(List.of(), last.failures(), last.status());
            if (!last.retire(DRAIN_MILLIS)) {
                LOG.warn("scrapes still read the configs after {} ms; closing them anyway", DRAIN_MILLIS);
            }
            List<LoadedConfig> configs = last.loaded();
            try {
                if (!configs.isEmpty()) {
                    long started = System.nanoTime();
                    closeConfigs(configs, trace);
                    LOG.info("detached and unloaded {} configs in {} ms", configs.size(),
                            (System.nanoTime() - started) / 1_000_000);
                }
            } finally {
                loader.closeSharedTracing(); // after the configs: their pumps have sent their last spans
            }
        }
    }

    /**
     * Closes {@code configs} at the same time, each on its own thread and in its own order (services, event
     * threads, links, object): closing one mostly waits (an event thread's last poll, its last span export,
     * kernel grace periods), and those waits overlap instead of adding up. One that fails to close is logged
     * and the others still close; the first failure is thrown after all have closed.
     */
    private static void closeConfigs(List<LoadedConfig> configs, StartupTrace trace) {
        if (configs.isEmpty()) {
            return;
        }
        try (StartupTrace.Step detach = trace.root("detach")) {
            List<AutoCloseable> closing = new ArrayList<>();
            for (LoadedConfig config : configs.reversed()) {
                closing.add(() -> closeTraced(config, detach));
            }
            Concurrently.close("detach", closing);
        }
    }

    /** Closes one config in its {@code close_module} span; a failure is logged with its cause and rethrown. */
    private static void closeTraced(LoadedConfig config, StartupTrace.Step detach) {
        try (StartupTrace.Step step = detach.child("close_module", "config", config.name())) {
            config.programs().stream().filter(ProgramState::attached)
                    .forEach(p -> step.event("prog_detach", "SEC", p.program().section()));
            step.event("close");
            try {
                config.close();
            } catch (RuntimeException | Error e) {
                step.fail(e.toString());
                LOG.error("config {}: error while unloading: {}", config.name(), e.toString(), e);
                throw e;
            }
        }
    }
}
