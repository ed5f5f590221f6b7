package dev.ebpfexporter.collector;

import dev.ebpfexporter.bpf.link.BpfLink;
import dev.ebpfexporter.bpf.BpfObject;
import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.metrics.MetricSource;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * A config whose object is loaded: its programs (attached or not), its metrics bound to maps, the
 * threads polling its event buffers, the background services it started (cgroup_id_map), and the
 * buffers whose lost events it counts.
 */
public record LoadedConfig(ExporterConfig config, BpfObject object, List<ProgramState> programs,
                           List<MetricSource> metrics, List<EventPump> pumps, List<AutoCloseable> services,
                           LongAdder decoderErrors, List<LostEvents.Buffer> lostEvents)
        implements AutoCloseable {

    public LoadedConfig {
        programs = List.copyOf(programs);
        metrics = List.copyOf(metrics);
        pumps = List.copyOf(pumps);
        services = List.copyOf(services);
        lostEvents = List.copyOf(lostEvents);
    }

    /** A config without event buffers (tests, benchmarks). */
    public LoadedConfig(ExporterConfig config, BpfObject object, List<ProgramState> programs,
                        List<MetricSource> metrics, List<EventPump> pumps, List<AutoCloseable> services,
                        LongAdder decoderErrors) {
        this(config, object, programs, metrics, pumps, services, decoderErrors, List.of());
    }

    public String name() {
        return config.name();
    }

    /**
     * Programs the kernel refused at load for which the config has no other program doing the same job
     * (see {@link Fallbacks}): such a refusal is the reference's failed load.
     */
    public List<ProgramState> refused() {
        return programs.stream().filter(ProgramState::refusedAtLoad).filter(p -> Fallbacks.of(p, programs).isEmpty()).toList();
    }

    /** Programs not attached whose job no attached program of the config does instead. */
    public List<ProgramState> missed() {
        return programs.stream().filter(p -> !p.attached()).filter(p -> Fallbacks.attachedInstead(p, programs).isEmpty())
                .toList();
    }

    /**
     * Detaches every program and leaves the rest (maps, event threads) to {@link #close()}: a reload detaches
     * the version it replaces as soon as the new one is attached, while scrapes may still read its maps.
     */
    public void detach() {
        programs.stream().map(ProgramState::link).flatMap(Optional::stream).forEach(BpfLink::close);
    }

    /** Stops event polling and services, detaches every program, then unloads the object. */
    @Override
    public void close() {
        pumps.forEach(EventPump::close);
        for (AutoCloseable service : services) {
            try {
                service.close();
            } catch (Exception e) {
                LoggerFactory.getLogger(LoadedConfig.class).warn("config {}: stopping {}: {}", name(), service, e.toString());
            }
        }
        programs.stream().map(ProgramState::link).flatMap(Optional::stream).forEach(BpfLink::close);
        object.close();
    }
}
