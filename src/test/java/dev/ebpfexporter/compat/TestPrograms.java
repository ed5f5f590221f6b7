package dev.ebpfexporter.compat;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.collector.LoadedConfig;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.InProcessExporter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * The compatibility suite's test programs (src/test/bpf, built by Maven): lays out a config
 * directory of {@code <name>.yaml} (written by the test) beside a copy of a test object, runs the
 * uprobe/USDT target, and fills maps.
 */
public final class TestPrograms {
    /** Config of attach.bpf.o: one program per attach kind, counted by kind. */
    public static final String ATTACH_YAML = countedByKind("attach_hits_total", "Hits by attach kind",
            "tp", "raw_tp", "tp_btf", "uprobe", "uretprobe", "usdt", "xdp");

    /** Config of missing_function.bpf.o: a kprobe that attaches on no kernel, beside a tracepoint. */
    public static final String MISSING_FUNCTION_YAML = counter("missing_function_execs_total",
            "Execs seen by the tracepoint beside a kprobe that never attaches");

    /** Config of post_attach_mark.bpf.o: a counter of the runs of its program on the reference's post_attach_mark. */
    public static final String POST_ATTACH_MARK_YAML = counter("post_attach_marks_total",
            "Runs of the program on post_attach_mark");

    /** Config of spans.bpf.o: a counter and the ring buffer of spans, one per compat_marker call. */
    public static final String SPANS_YAML = """
            metrics:
              counters:
                - name: marker_calls_total
                  help: Calls of compat_marker
            tracing:
              spans:
                - name: marker
                  ringbuf: marker_spans
                  service: compat-spans
                  labels:
                    - name: trace_id
                      size: 16
                      decoders:
                        - name: hex
                    - name: parent_span_id
                      size: 8
                      decoders:
                        - name: hex
                    - name: span_id
                      size: 8
                      decoders:
                        - name: hex
                    - name: span_monotonic_timestamp_ns
                      size: 8
                      decoders:
                        - name: uint
                    - name: span_duration_ns
                      size: 8
                      decoders:
                        - name: uint
                    - name: span_name
                      size: 16
                      decoders:
                        - name: string
                    - name: value
                      size: 8
                      decoders:
                        - name: uint
            """;

    /** The labels of maps.bpf.o's histograms: a u32 op and a u32 bucket. */
    public static final String OP_BUCKET =
            "[{name: op, size: 4, decoders: [{name: uint}]}, {name: bucket, size: 4, decoders: [{name: uint}]}]";
    private static final String MATCHED_EXECS = "matched_execs_total";
    private static final String MATCHED_EXECS_HELP = "Execs in matching cgroups";

    private TestPrograms() {
    }

    /** Config of one counter without labels (its map has a single entry). */
    public static String counter(String name, String help) {
        return """
                metrics:
                  counters:
                    - name: %s
                      help: %s
                """.formatted(name, help);
    }

    /**
     * Config of one counter with one label of {@code size} bytes read by {@code decoders} in order;
     * further keys of the counter or of its last decoder may follow (as lines at their own indent).
     */
    public static String labelledCounter(String name, String help, String label, int size, String... decoders) {
        StringBuilder yaml = new StringBuilder(counter(name, help)).append("""
                      labels:
                        - name: %s
                          size: %d
                          decoders:
                """.formatted(label, size));
        for (String decoder : decoders) {
            yaml.append(" ".repeat(12)).append("- name: ").append(decoder).append('\n');
        }
        return yaml.toString();
    }

    /**
     * Config of one counter labelled by a u32 kind that the program counts from 1: {@code kinds[i]}
     * names kind {@code i + 1}.
     */
    public static String countedByKind(String name, String help, String... kinds) {
        StringBuilder yaml = new StringBuilder(labelledCounter(name, help, "kind", 4, "uint", "static_map"))
                .append(" ".repeat(14)).append("static_map:\n");
        for (int i = 0; i < kinds.length; i++) {
            yaml.append(" ".repeat(16)).append(i + 1).append(": ").append(kinds[i]).append('\n');
        }
        return yaml.toString();
    }

    /**
     * One histogram of maps.bpf.o (an item of {@code histograms:}) labelled by a u32 op and a u32
     * bucket, with buckets {@code min..max} of {@code type}, scaled by {@code multiplier} unless it is empty.
     */
    public static String opHistogram(String name, String help, String type, int min, int max, String multiplier) {
        return """
                    - name: %s
                      help: %s
                      bucket_type: %s
                      bucket_min: %d
                      bucket_max: %d
                """.formatted(name, help, type, min, max)
                + (multiplier.isEmpty() ? "" : "      bucket_multiplier: " + multiplier + "\n")
                + "      labels: " + OP_BUCKET + "\n";
    }

    /**
     * Config of pinned.bpf.o (and reload_a/reload_b.bpf.o, whose maps start with their name instead of
     * {@code pinned}): scheduler switches counted, and the time between two switches on a CPU as an exp2
     * histogram of microseconds.
     */
    public static String switches(String prefix, String help) {
        return """
                metrics:
                  counters:
                    - name: %1$s_switches_total
                      help: %2$s
                  histograms:
                    - name: %1$s_switch_gap_seconds
                      help: Time between two scheduler switches on a CPU
                      bucket_type: exp2
                      bucket_min: 0
                      bucket_max: 30
                      bucket_multiplier: 0.000001
                      labels:
                        - name: bucket
                          size: 8
                          decoders:
                            - name: uint
                """.formatted(prefix, help);
    }

    /**
     * Config of cgroup_ids.bpf.o: execs counted by cgroup id, with a cgroup_id_map {@code map} of
     * {@code type} following the cgroups whose path matches {@code regexp}.
     */
    public static String cgroupIds(String map, String type, String regexp) {
        return labelledCounter(MATCHED_EXECS, MATCHED_EXECS_HELP, "cgroup", 8, "uint") + cgroupIdMap(map, type, regexp);
    }

    /**
     * The same with each id decoded to its cgroup's path (the map {@code cgroup_id_map}, a hash) and
     * {@code counterKeys} (lines at the counter's indent, e.g. {@code expire_after}) added to the counter.
     */
    public static String cgroupPaths(String regexp, String counterKeys) {
        return labelledCounter(MATCHED_EXECS, MATCHED_EXECS_HELP, "cgroup", 8, "uint", "cgroup")
                + counterKeys.indent(6) + cgroupIdMap("cgroup_id_map", "hash", regexp);
    }

    /** A config's top-level {@code cgroup_id_map} section with one regexp. */
    public static String cgroupIdMap(String map, String type, String regexp) {
        return """
                cgroup_id_map:
                  name: %s
                  type: %s
                  regexps: ['%s']
                """.formatted(map, type, regexp);
    }

    /**
     * An exporter on config {@code name} ({@link #config}); fails the test, closing it, when the
     * config does not load.
     */
    public static InProcessExporter loaded(Path dir, String name, String object, String yaml) {
        return InProcessExporter.load(config(dir, name, object, yaml), name).requireLoaded();
    }

    public static Path sources() {
        return BpfAvailability.projectRoot().resolve("src/test/bpf");
    }

    /** Writes {@code dir/<name>.yaml} and copies {@code <object>.bpf.o} to {@code dir/<name>.bpf.o}. */
    public static Path config(Path dir, String name, String object, String yaml) {
        try {
            Files.writeString(dir.resolve(name + ".yaml"), yaml);
            Files.copy(sources().resolve(object + ".bpf.o"), dir.resolve(name + ".bpf.o"),
                    StandardCopyOption.REPLACE_EXISTING);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path target() {
        return sources().resolve(".output/compat_target");
    }

    /** Runs compat_target, which calls compat_marker(1..calls) (and its USDT probe) and execs once. */
    public static void runTarget(int calls) {
        try {
            Process process = new ProcessBuilder(target().toString(), Integer.toString(calls))
                    .redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("compat_target failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static BpfMap map(InProcessExporter exporter, String config, String map) {
        LoadedConfig loaded = exporter.configs().stream().filter(c -> c.name().equals(config)).findFirst().orElseThrow();
        return loaded.object().map(map).orElseThrow();
    }

    public static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    public static byte[] u32s(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            buffer.putInt(v);
        }
        return buffer.array();
    }

    public static byte[] u64s(long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            buffer.putLong(v);
        }
        return buffer.array();
    }

    /** A per-CPU value: one u64 per possible CPU, CPU i getting {@code perCpu[i]} (0 past the array). */
    public static byte[] perCpu(BpfMap map, long... perCpu) {
        long[] values = new long[map.cpus()];
        System.arraycopy(perCpu, 0, values, 0, Math.min(perCpu.length, values.length));
        return u64s(values);
    }

    public static void put(BpfMap map, byte[] key, byte[] value) {
        try {
            map.update(key, value, 0);
        } catch (BpfException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The exposition lines of one family (its # HELP/# TYPE and samples), for exact comparison. */
    static String family(String exposition, String name) {
        StringBuilder out = new StringBuilder();
        for (String line : exposition.split("\n")) {
            String metric = line.startsWith("# ") ? line.split(" ")[2] : line.split("[{ ]")[0];
            if (metric.equals(name) || metric.equals(name + "_total") || metric.equals(name + "_bucket")
                    || metric.equals(name + "_count") || metric.equals(name + "_sum")
                    || metric.equals(name + "_created")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }
}
