package dev.ebpfexporter.collector;

import dev.ebpfexporter.btf.BtfChoice;
import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.link.AttachKinds;
import dev.ebpfexporter.bpf.link.BpfLink;
import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.bpf.BpfObject;
import dev.ebpfexporter.bpf.BpfProgram;
import dev.ebpfexporter.bpf.ProgramLoadException;
import dev.ebpfexporter.bpf.ProgramInfo;
import dev.ebpfexporter.bpf.events.RingBuffer;
import dev.ebpfexporter.bpf.link.TraceFs;
import dev.ebpfexporter.cgroup.CgroupIdMap;
import dev.ebpfexporter.config.SpanConfig;
import dev.ebpfexporter.tracing.SpanStream;
import dev.ebpfexporter.tracing.StartupTrace;
import dev.ebpfexporter.tracing.Tracing;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.CounterConfig;
import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.config.MetricConfig;
import dev.ebpfexporter.lifecycle.Resources;
import dev.ebpfexporter.metrics.DecoderFactory;
import dev.ebpfexporter.bpf.MapType;
import dev.ebpfexporter.bpf.events.PerfBuffer;
import dev.ebpfexporter.metrics.EventCounter;
import dev.ebpfexporter.metrics.MapMetric;
import dev.ebpfexporter.metrics.MetricOptions;
import dev.ebpfexporter.metrics.MetricSource;
import dev.ebpfexporter.pin.ConfigPins;
import dev.ebpfexporter.pin.PinDirectory;
import dev.ebpfexporter.pin.PinException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.atomic.LongAdder;

/**
 * Loads one config: opens its object, binds every metric to its map (checking key layouts before
 * anything reaches the kernel), loads, then attaches every program. A program that does not attach
 * is logged with the kernel's reason and kept as not attached; anything else that fails, any
 * {@code Throwable}, closes everything the load made (links, pumps, services, object: see
 * {@link #load(ExporterConfig, StartupTrace.Step)}) and propagates, as one line naming the config
 * for a config or kernel failure.
 */
public final class ObjectLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectLoader.class);
    private static final int PERF_BUFFER_PAGES = 64;

    private final DecoderFactory decoders;
    private final Supplier<Optional<Path>> btfPath;
    private final MetricOptions options;
    private final java.util.function.Supplier<Tracing> tracing;
    private final Optional<PinDirectory> pins;
    private final Checkpoint checkpoint;

    public ObjectLoader(DecoderFactory decoders, Optional<Path> btfPath, MetricOptions options) {
        this(decoders, btfPath, options, SharedTracing::get);
    }

    /** @param tracing made on first use, by the first config with {@code tracing.spans} */
    public ObjectLoader(DecoderFactory decoders, Optional<Path> btfPath, MetricOptions options,
                        java.util.function.Supplier<Tracing> tracing) {
        this(decoders, btfPath, options, tracing, Optional.empty());
    }

    /** @param pins where metric maps are pinned ({@code --bpf.pin-path}), reused from, and replaced */
    public ObjectLoader(DecoderFactory decoders, Optional<Path> btfPath, MetricOptions options,
                        java.util.function.Supplier<Tracing> tracing, Optional<PinDirectory> pins) {
        this(decoders, () -> btfPath, options, tracing, pins, step -> { });
    }

    /** @param checkpoint called at each step of a load (tests throw from it to fail the load there) */
    ObjectLoader(DecoderFactory decoders, Optional<Path> btfPath, MetricOptions options,
                 java.util.function.Supplier<Tracing> tracing, Optional<PinDirectory> pins, Checkpoint checkpoint) {
        this(decoders, () -> btfPath, options, tracing, pins, checkpoint);
    }

    private ObjectLoader(DecoderFactory decoders, Supplier<Optional<Path>> btfPath, MetricOptions options,
                         java.util.function.Supplier<Tracing> tracing, Optional<PinDirectory> pins, Checkpoint checkpoint) {
        this.decoders = decoders;
        this.btfPath = btfPath;
        this.options = options;
        this.tracing = tracing;
        this.pins = pins;
        this.checkpoint = checkpoint;
    }

    /** The same loader, pinning metric maps in {@code directory}. */
    public ObjectLoader pinningIn(PinDirectory directory) {
        return new ObjectLoader(decoders, btfPath, options, tracing, Optional.of(directory), checkpoint);
    }

    /**
     * The same loader, opening each object with the external BTF {@code choice} holds at that moment (picked again
     * for every load of the configs from {@code --btf.path}; none when the kernel's own is used).
     */
    public ObjectLoader usingBtf(BtfChoice choice) {
        return new ObjectLoader(decoders, () -> choice.current().customPath(), options, tracing, pins, checkpoint);
    }

    /** Where this loader pins, if it does. */
    public Optional<PinDirectory> pins() {
        return pins;
    }

    /** A named step of a load just done: {@code open}, {@code bind}, {@code load}, {@code attach <program>}, ... */
    @FunctionalInterface
    interface Checkpoint {
        void reached(String step);
    }

    /**
     * The process-wide tracer provider from the OTEL_* environment, made when a config first needs it.
     * Closed by {@link Exporter#close()} after every config (so after the event pumps' last spans),
     * not by a shutdown hook of its own that would run concurrently with the exporter's.
     */
    private static final class SharedTracing {
        private static Tracing shared;

        static synchronized Tracing get() {
            if (shared == null) {
                shared = Tracing.fromEnvironment();
                LOG.info("tracing: {}", shared.description());
            }
            return shared;
        }

        static synchronized void close() {
            if (shared != null) {
                shared.close();
                shared = null;
            }
        }
    }

    /** Flushes and closes the tracer provider this class made, if it made one (after the configs are closed). */
    void closeSharedTracing() {
        SharedTracing.close();
    }

    public LoadedConfig load(ExporterConfig config) throws LoadException {
        return load(config, StartupTrace.none());
    }

    /**
     * Loads and attaches one config as a transaction: the returned config owns everything the load
     * made and {@link LoadedConfig#close()} releases all of it; when anything is thrown instead (a
     * {@link LoadException} for a config or kernel failure, or any other {@code Throwable}), nothing
     * the load made is left: no object, link, event thread or cgroup watcher.
     *
     * @param trace the config's {@code attach_config} span: each stage becomes a child of it
     */
    public LoadedConfig load(ExporterConfig config, StartupTrace.Step trace) throws LoadException {
        // Refused program → the load failure that named it (the kernel's reason, shown as its error).
        Map<String, String> skipped = new LinkedHashMap<>();
        while (true) {
            try {
                return load(config, skipped, trace);
            } catch (RefusedPrograms refused) {
                // The kernel refused some programs (e.g. fentry where it is not allowed): load the object
                // again without them, until what is left loads; the refused ones are reported as not attached.
                // Each round excludes at least one more program, so this ends.
                for (String program : refused.programs) {
                    if (skipped.putIfAbsent(program, refused.getMessage()) == null) {
                        String section = refused.sections.getOrDefault(program, "");
                        Optional<String> standIn = Fallbacks.standInSection(section,
                                List.copyOf(refused.sections.values()));
                        if (standIn.isPresent()) {
                            LOG.warn("config {}: program {} ({}) refused by the kernel, loading the others without it;"
                                    + " {} of the same config stands in for it: {}", config.name(), program, section,
                                    standIn.get(), refused.getMessage());
                        } else {
                            LOG.error("config {}: program {} refused by the kernel, loading the others without it: {}",
                                    config.name(), program, refused.getMessage());
                        }
                    }
                }
            }
        }
    }

    /** Thrown when load fails only because of some programs, and others remain to load. */
    private static final class RefusedPrograms extends Exception {
        final Set<String> programs;
        /** Every program of the object by name → its section, to find a refused program's stand-in. */
        final Map<String, String> sections;

        RefusedPrograms(String message, Set<String> programs, Map<String, String> sections, Throwable cause) {
            super(message, cause);
            this.programs = programs;
            this.sections = sections;
        }
    }

    /**
     * One load as a transaction: everything it makes (object, links, event pumps, services) is owned
     * by one {@link Resources} from the moment it exists; whatever is thrown before the config is
     * handed over, an {@code Error} included, closes all of it in reverse order, then propagates.
     */
    private LoadedConfig load(ExporterConfig config, Map<String, String> skipped, StartupTrace.Step trace)
            throws LoadException, RefusedPrograms {
        Resources owned = new Resources("config " + config.name());
        try {
            return load(config, skipped, trace, owned);
        } catch (ConfigException | BpfException | PinException e) {
            owned.closeAfter(e);
            throw new LoadException(config.name(), e.getMessage(), e);
        } catch (Throwable t) {
            owned.closeAfter(t);
            throw t;
        }
    }

    private LoadedConfig load(ExporterConfig config, Map<String, String> skipped, StartupTrace.Step trace,
                              Resources owned)
            throws ConfigException, BpfException, PinException, RefusedPrograms {
        long started = System.nanoTime();
        BpfObject object = owned.add("object " + config.objectFile().getFileName(), open(config, trace));
        checkpoint.reached("open");
        LongAdder decoderErrors = new LongAdder();
        List<MetricSource> metrics = bindMetrics(config, object, decoderErrors);
        checkSpansAndCgroups(config, object);
        checkpoint.reached("bind");
        setKernelAddresses(config, object, trace);
        Optional<ConfigPins.Prepared> pinned = pins.isPresent()
                ? Optional.of(pins.get().forConfig(config.name()).prepare(pinnedMaps(config, object)))
                : Optional.empty();
        if (object.programs().stream().anyMatch(p -> TraceFs.needed(p.section()))) {
            TraceFs.ensureMounted();
        }
        loadObject(object, skipped.keySet(), trace);
        checkpoint.reached("load");
        List<ProgramState> programs = standIns(config, attachAll(config, object, skipped, trace, owned));
        startPumps(config, object, metrics, decoderErrors, owned);
        startServices(config, object, owned);
        List<LostEvents.Buffer> lostEvents = LostEvents.of(object, metrics);
        if (pinned.isPresent()) {
            pinned.get().commit(); // last: a config that failed before this changed no pin
        }
        long attached = programs.stream().filter(ProgramState::attached).count();
        LOG.info("config {}: loaded {} in {} ms: {}/{} programs attached, {} maps, {} metrics{}", config.name(),
                config.objectFile().getFileName(), (System.nanoTime() - started) / 1_000_000, attached,
                programs.size(), object.maps().size(), metrics.size(), pinned.map(p -> ", " + p.describe()).orElse(""));
        checkpoint.reached("loaded");
        return new LoadedConfig(config, object, programs, metrics, decoderErrors, lostEvents, owned);
    }

    private BpfObject open(ExporterConfig config, StartupTrace.Step trace) throws BpfException {
        try (StartupTrace.Step step = trace.child("new_module")) {
            try {
                return BpfObject.open(config.objectFile(), btfPath.get(), AttachKinds.sectionTypes());
            } catch (BpfException e) {
                step.fail(e.getMessage());
                throw e;
            }
        }
    }

    private static void setKernelAddresses(ExporterConfig config, BpfObject object, StartupTrace.Step trace)
            throws ConfigException {
        if (config.kaddrs().isEmpty()) {
            return;
        }
        try (StartupTrace.Step step = trace.child("pass_kaddrs")) {
            config.kaddrs().forEach(symbol -> step.event("kaddr", "symbol", symbol));
            try {
                KernelAddresses.apply(config, object, KernelAddresses.KALLSYMS);
            } catch (ConfigException | RuntimeException e) {
                step.fail(e.getMessage());
                throw e;
            }
        }
    }

    /**
     * Loads the object without the programs in {@code skipped}; throws {@link RefusedPrograms} when the
     * kernel refused some programs and others are left to load without them.
     */
    private static void loadObject(BpfObject object, Set<String> skipped, StartupTrace.Step trace)
            throws BpfException, RefusedPrograms {
        for (BpfProgram program : object.programs()) {
            if (skipped.contains(program.name())) {
                program.disableAutoload();
            }
        }
        try (StartupTrace.Step step = trace.child("bpf_load_object")) {
            try {
                object.load();
            } catch (BpfException e) {
                step.fail(e.getMessage());
                throw e;
            }
        } catch (ProgramLoadException e) {
            Set<String> refused = new LinkedHashSet<>(skipped);
            refused.addAll(e.programs());
            if (refused.size() > skipped.size() && refused.size() < object.programs().size()) {
                Map<String, String> sections = new LinkedHashMap<>();
                object.programs().forEach(p -> sections.put(p.name(), p.section()));
                throw new RefusedPrograms(e.getMessage(), refused, sections, e);
            }
            throw e;
        }
    }

    /** Attaches every loaded program; each link is owned as soon as it exists. */
    private List<ProgramState> attachAll(ExporterConfig config, BpfObject object, Map<String, String> skipped,
                                         StartupTrace.Step trace, Resources owned) throws BpfException {
        List<ProgramState> programs = new ArrayList<>();
        try (StartupTrace.Step step = trace.child("attach_module")) {
            for (BpfProgram program : object.programs()) {
                if (skipped.containsKey(program.name())) {
                    programs.add(new ProgramState(program, 0, "", Optional.empty(),
                            Optional.of("refused by the kernel at load: " + skipped.get(program.name()))));
                    continue;
                }
                ProgramState state = attach(config, program, owned);
                programs.add(state);
                step.event(state.attached() ? "prog_attach" : "prog_attach_failed", "SEC", program.section());
                checkpoint.reached("attach " + program.name());
            }
        }
        return programs;
    }

    /** A thread per perf buffer of events and per ring buffer of spans. */
    private void startPumps(ExporterConfig config, BpfObject object, List<MetricSource> metrics,
                            LongAdder decoderErrors, Resources owned) throws ConfigException, BpfException {
        for (MetricSource metric : metrics) {
            if (metric instanceof EventCounter events) {
                BpfMap map = object.map(events.config().map()).orElseThrow();
                owned.add("perf buffer " + map.name(), EventPump.perf(config.name() + "-" + map.name(),
                        () -> PerfBuffer.open(map, PERF_BUFFER_PAGES, events::onEvent, events::onLost)));
                checkpoint.reached("pump " + map.name());
            }
        }
        for (SpanConfig span : config.spans()) {
            Tracing tracer;
            try {
                tracer = tracing.get();
            } catch (RuntimeException | LinkageError e) {
                throw new ConfigException(span.source(), "span " + span.name() + ": cannot set up OpenTelemetry export: "
                        + e, e);
            }
            SpanStream stream = SpanStream.bind(span, config.name(), tracer, decoders, decoderErrors);
            BpfMap ring = object.map(span.ringbuf()).orElseThrow();
            owned.add("ring buffer " + ring.name(), EventPump.ring(config.name() + "-" + ring.name(),
                    () -> RingBuffer.open(ring, stream::onRecord), tracer::flush));
            checkpoint.reached("pump " + ring.name());
        }
    }

    /** The config's background services: the thread that keeps its cgroup_id_map current. */
    private void startServices(ExporterConfig config, BpfObject object, Resources owned)
            throws ConfigException, BpfException {
        if (config.cgroupIdMap().isPresent()) {
            var cgroups = config.cgroupIdMap().get();
            owned.add("cgroup_id_map " + cgroups.name(),
                    CgroupIdMap.start(cgroups, object.map(cgroups.name()).orElseThrow(), object.name()));
            checkpoint.reached("cgroup_id_map " + cgroups.name());
        }
    }

    private List<MetricSource> bindMetrics(ExporterConfig config, BpfObject object, LongAdder decoderErrors)
            throws ConfigException {
        List<MetricSource> metrics = new ArrayList<>();
        for (MetricConfig metric : config.metrics()) {
            BpfMap map = object.map(metric.map()).orElseThrow(() -> new ConfigException(metric.source(),
                    "metric " + metric.name() + ": map \"" + metric.map() + "\" not found in "
                            + config.objectFile().getFileName() + " (maps: " + mapNames(object) + ")"));
            if (metric instanceof CounterConfig counter && counter.perfEventArray()) {
                if (map.type() != MapType.PERF_EVENT_ARRAY) {
                    throw new ConfigException(metric.source(), "metric " + metric.name() + ": perf_event_array is set but map "
                            + map.name() + " is a " + MapType.name(map.type()) + " map");
                }
                metrics.add(EventCounter.bind(counter, decoders, decoderErrors, options.seriesLimit()));
            } else {
                metrics.add(MapMetric.bind(metric, map, decoders, decoderErrors, options));
            }
        }
        return List.copyOf(metrics);
    }

    /**
     * The maps pinned with {@code --bpf.pin-path}: those that counters and histograms read. Not the event
     * buffers (a perf buffer's descriptors belong to one reader; what is in flight at a restart is lost
     * anyway), nor the maps a program keeps for itself (start timestamps of requests in flight, the
     * cgroup_id_map the exporter fills at start): values from before a restart would be stale there.
     */
    private static List<BpfMap> pinnedMaps(ExporterConfig config, BpfObject object) {
        Set<String> names = new LinkedHashSet<>();
        for (MetricConfig metric : config.metrics()) {
            if (!(metric instanceof CounterConfig counter && counter.perfEventArray())) {
                names.add(metric.map());
            }
        }
        return names.stream().map(name -> object.map(name).orElseThrow()).toList();
    }

    /** Ring buffers of spans and the cgroup_id_map exist with the right shapes, decoders and regexps build. */
    private void checkSpansAndCgroups(ExporterConfig config, BpfObject object) throws ConfigException {
        for (SpanConfig span : config.spans()) {
            BpfMap map = object.map(span.ringbuf()).orElseThrow(() -> new ConfigException(span.source(),
                    "span " + span.name() + ": ringbuf \"" + span.ringbuf() + "\" not found in "
                            + config.objectFile().getFileName() + " (maps: " + mapNames(object) + ")"));
            if (map.type() != MapType.RINGBUF) {
                throw new ConfigException(span.source(), "span " + span.name() + ": map " + map.name() + " is a "
                        + MapType.name(map.type()) + " map, spans need a ringbuf map");
            }
            for (var label : span.labels()) {
                dev.ebpfexporter.metrics.LabelChain.of(label, decoders);
            }
        }
        if (config.cgroupIdMap().isPresent()) {
            var cgroups = config.cgroupIdMap().get();
            CgroupIdMap.check(cgroups, object.map(cgroups.name()), config.objectFile().getFileName().toString());
        }
    }

    private static String mapNames(BpfObject object) {
        return String.join(", ", object.maps().stream().map(BpfMap::name).filter(n -> !n.startsWith(".")).toList());
    }

    /** Each program that is not attached while another of the config does its job says so (see {@link Fallbacks}). */
    private static List<ProgramState> standIns(ExporterConfig config, List<ProgramState> programs) {
        List<ProgramState> out = new ArrayList<>();
        for (ProgramState state : programs) {
            Optional<ProgramState> instead = state.attached() ? Optional.empty() : Fallbacks.attachedInstead(state, programs);
            if (instead.isPresent()) {
                String what = instead.get().program().name() + " (" + instead.get().program().section()
                        + ") attached in its place";
                LOG.info("config {}: program {} ({}) is not needed: {}", config.name(), state.program().name(),
                        state.program().section(), what);
                out.add(new ProgramState(state.program(), state.id(), state.tag(), state.link(),
                        Optional.of(state.error().orElse("not attached") + "; " + what)));
            } else {
                out.add(state);
            }
        }
        return out;
    }

    private static ProgramState attach(ExporterConfig config, BpfProgram program, Resources owned) throws BpfException {
        ProgramInfo info = program.info();
        BpfLink link;
        try {
            link = owned.add("link of " + program.name(), AttachKinds.attach(program));
        } catch (BpfException e) {
            // Not attached is a state of the program, not a failure of the config: reported, the others go on.
            LOG.error("config {}: program {} ({}) not attached: {}", config.name(), program.name(),
                    program.section(), e.getMessage());
            LOG.debug("config {}: program {} not attached", config.name(), program.name(), e);
            return new ProgramState(program, info.id(), info.tag(), Optional.empty(), Optional.of(e.getMessage()));
        }
        LOG.debug("config {}: attached program {} ({}, id {})", config.name(), program.name(), program.section(),
                info.id());
        return new ProgramState(program, info.id(), info.tag(), Optional.of(link), Optional.empty());
    }
}
