package dev.ebpfexporter.collector;

import dev.ebpfexporter.bpf.BpfObject;
import dev.ebpfexporter.bpf.link.BpfLink;
import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.lifecycle.Resources;
import dev.ebpfexporter.metrics.MetricSource;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * A config whose object is loaded: its programs (attached or not), its metrics bound to maps and the
 * buffers whose lost events it counts. {@code owned} holds everything its load made, in the order it
 * was made: the object, the links, the threads polling its event buffers and the services it started
 * (cgroup_id_map).
 */
public record LoadedConfig(ExporterConfig config, BpfObject object, List<ProgramState> programs,
                           List<MetricSource> metrics, LongAdder decoderErrors, List<LostEvents.Buffer> lostEvents,
                           Resources owned)
        implements AutoCloseable {

    public LoadedConfig {
        programs = List.copyOf(programs);
        metrics = List.copyOf(metrics);
        lostEvents = List.copyOf(lostEvents);
    }

    /** A config without event buffers (tests, benchmarks). */
    public LoadedConfig(ExporterConfig config, BpfObject object, List<ProgramState> programs,
                        List<MetricSource> metrics, LongAdder decoderErrors, Resources owned) {
        this(config, object, programs, metrics, decoderErrors, List.of(), owned);
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
     * (A link closes once: the close of the whole config then skips it.)
     */
    public void detach() {
        programs.stream().map(ProgramState::link).flatMap(Optional::stream).forEach(BpfLink::close);
    }

    /**
     * Stops services and event polling, detaches every program, then unloads the object (the reverse
     * of their making), once; throws the first failure after everything had its close.
     */
    @Override
    public void close() {
        owned.close();
    }
}
