package dev.ebpfexporter.collector;

import dev.ebpfexporter.bpf.BpfLink;
import dev.ebpfexporter.bpf.BpfObject;
import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.metrics.MetricSource;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/** A config whose object is loaded: its programs (attached or not) and its metrics bound to maps. */
public record LoadedConfig(ExporterConfig config, BpfObject object, List<ProgramState> programs,
                           List<MetricSource> metrics, List<EventPump> pumps, LongAdder decoderErrors)
        implements AutoCloseable {

    public String name() {
        return config.name();
    }

    /** Detaches every program, stops event polling, then unloads the object. */
    @Override
    public void close() {
        pumps.forEach(EventPump::close);
        programs.stream().map(ProgramState::link).flatMap(Optional::stream).forEach(BpfLink::close);
        object.close();
    }
}
