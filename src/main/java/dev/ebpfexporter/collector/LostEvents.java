package dev.ebpfexporter.collector;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.bpf.BpfObject;
import dev.ebpfexporter.bpf.MapEntries;
import dev.ebpfexporter.bpf.MapType;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.metrics.EventCounter;
import dev.ebpfexporter.metrics.MetricSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Events lost between a config's programs and the exporter, per buffer map, for
 * {@code ebpf_exporter_events_lost_total{config,map}}: a perf buffer's samples the kernel dropped
 * because it was full (libbpf's lost-sample callback), and a ring buffer's records its program could
 * not write, which only the program knows and counts in a companion map {@code <ring buffer>_lost}
 * (a one-entry array or per-CPU array of u64; {@code examples/include/events.bpf.h}). A ring buffer
 * without one has no count.
 */
final class LostEvents {
    static final String COMPANION_SUFFIX = "_lost";

    /** How to read a count now. */
    interface Count {
        long read() throws BpfException;
    }

    /** One buffer map and its lost-event count. */
    record Buffer(String map, Count count) {
    }

    private LostEvents() {
    }

    /** The buffers of a loaded config: its perf_event_array counters' and its ring buffers with a companion count. */
    static List<Buffer> of(BpfObject object, List<MetricSource> metrics) throws ConfigException {
        List<Buffer> buffers = new ArrayList<>();
        for (MetricSource metric : metrics) {
            if (metric instanceof EventCounter events) {
                buffers.add(new Buffer(events.config().map(), events::lostEvents));
            }
        }
        for (BpfMap map : object.maps()) {
            if (map.type() != MapType.RINGBUF) {
                continue;
            }
            Optional<BpfMap> companion = object.map(map.name() + COMPANION_SUFFIX);
            if (companion.isPresent()) {
                BpfMap lost = checked(map, companion.get());
                buffers.add(new Buffer(map.name(), () -> sum(lost.readAll())));
            }
        }
        return List.copyOf(buffers);
    }

    private static BpfMap checked(BpfMap ring, BpfMap lost) throws ConfigException {
        boolean array = lost.type() == MapType.ARRAY || lost.type() == MapType.PERCPU_ARRAY;
        if (!array || lost.keySize() != 4 || lost.valueSize() != 8) {
            throw new ConfigException("map " + lost.name() + " counts the records lost by ring buffer " + ring.name()
                    + ", so it must be an array or percpu_array of u32 keys and u64 values (see"
                    + " examples/include/events.bpf.h); it is a " + MapType.name(lost.type()) + " with "
                    + lost.keySize() + "-byte keys and " + lost.valueSize() + "-byte values");
        }
        return lost;
    }

    private static long sum(MapEntries entries) {
        long total = 0;
        for (int i = 0; i < entries.count(); i++) {
            total += entries.u64Sum(i);
        }
        return total;
    }
}
