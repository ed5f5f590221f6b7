package dev.ebpfexporter.compat;

import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.testing.InProcessExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.ebpfexporter.compat.TestPrograms.family;
import static dev.ebpfexporter.compat.TestPrograms.map;
import static dev.ebpfexporter.compat.TestPrograms.opHistogram;
import static dev.ebpfexporter.compat.TestPrograms.perCpu;
import static dev.ebpfexporter.compat.TestPrograms.put;
import static dev.ebpfexporter.compat.TestPrograms.u32;
import static dev.ebpfexporter.compat.TestPrograms.u32s;
import static dev.ebpfexporter.compat.TestPrograms.u64s;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every map kind and histogram bucket type, read from real kernel maps the test fills: the
 * exposition must be exactly what the reference exporter serves for the same map contents.
 */
class MapKindsTest {
    static final String YAML = TestPrograms.countedByKind("hash_events_total", "Events by kind, from a hash map",
            "read", "write") + """
                - name: array_events_total
                  help: Events by slot, from an array map
                  labels:
                    - name: slot
                      size: 4
                      decoders:
                        - name: uint
                - name: percpu_hash_events_total
                  help: Events from a per-CPU hash, summed over CPUs
                  labels:
                    - name: id
                      size: 4
                      decoders:
                        - name: hex
                - name: percpu_array_events_total
                  help: Events from a per-CPU array, summed over CPUs
                  labels:
                    - name: slot
                      size: 4
                      decoders:
                        - name: uint
                - name: per_cpu_events_total
                  help: Events from a per-CPU array, one series per CPU
                  labels:
                    - name: slot
                      size: 4
                      decoders:
                        - name: uint
                    - name: cpu
                      size: 2
                      decoders:
                        - name: uint
                - name: lru_events_total
                  help: Events by name, from an LRU hash
                  labels:
                    - name: name
                      size: 8
                      decoders:
                        - name: string
                        - name: regexp
                          regexps:
                            - ^keep.*$
                - name: unlabelled_events_total
                  help: Events without labels
                - name: completions
                  help: Completions, count and bytes
                  labels:
                    - name: device
                      size: 4
                      decoders:
                        - name: uint
                  values:
                    - name: completions_total
                      help: Completed requests
                    - name: completed_bytes_total
                      help: Completed bytes
              histograms:
            """ + opHistogram("exp2_seconds", "exp2 buckets in seconds", "exp2", 0, 3, "0.001")
            + opHistogram("exp2zero_bytes", "exp2zero buckets", "exp2zero", 0, 3, "")
            + opHistogram("linear_items", "linear buckets", "linear", 0, 2, "10")
            + opHistogram("percpu_exp2_seconds", "exp2 buckets from a per-CPU map", "exp2", 0, 1, "") + """
                - name: fixed_sizes
                  help: fixed buckets
                  bucket_type: fixed
                  bucket_keys: [1, 5, 10]
                  labels: %s
                - name: per_cpu_exp2_seconds
                  help: exp2 buckets from a per-CPU map, one histogram per CPU
                  bucket_type: exp2
                  bucket_min: 0
                  bucket_max: 1
                  labels:
                    - {name: op, size: 4, decoders: [{name: uint}]}
                    - {name: bucket, size: 4, decoders: [{name: uint}]}
                    - {name: cpu, size: 2, decoders: [{name: uint}]}
            """.formatted(TestPrograms.OP_BUCKET);

    static InProcessExporter exporter;
    static String text;

    @BeforeAll
    static void load(@TempDir Path dir) {
        exporter = TestPrograms.loaded(dir, "maps", "maps", YAML);
        BpfMap hash = map(exporter, "maps", "hash_events_total");
        put(hash, u32(1), u64s(3));
        put(hash, u32(2), u64s(5));
        put(hash, u32(7), u64s(11)); // unknown to static_map: "unknown:7"
        BpfMap array = map(exporter, "maps", "array_events_total");
        put(array, u32(1), u64s(42)); // slots 0, 2, 3 stay 0 and are still exported, as arrays are
        BpfMap percpuHash = map(exporter, "maps", "percpu_hash_events_total");
        put(percpuHash, u32(0x0a0b0c0d), perCpu(percpuHash, 1, 2));
        BpfMap percpuArray = map(exporter, "maps", "percpu_array_events_total");
        put(percpuArray, u32(1), perCpu(percpuArray, 4, 6));
        BpfMap perCpuSeries = map(exporter, "maps", "per_cpu_events_total");
        put(perCpuSeries, u32(1), perCpu(perCpuSeries, 7, 9));
        BpfMap lru = map(exporter, "maps", "lru_events_total");
        put(lru, Arrays.copyOf("keepme".getBytes(StandardCharsets.UTF_8), 8), u64s(2));
        put(lru, Arrays.copyOf("dropme".getBytes(StandardCharsets.UTF_8), 8), u64s(9));
        BpfMap completions = map(exporter, "maps", "completions");
        put(completions, u32(8), u64s(3, 12288));
        BpfMap exp2 = map(exporter, "maps", "exp2_seconds");
        put(exp2, u32s(1, 0), u64s(1));
        put(exp2, u32s(1, 2), u64s(4));
        put(exp2, u32s(1, 4), u64s(100)); // bucket_max + 1: the sum, in buckets' units
        BpfMap exp2zero = map(exporter, "maps", "exp2zero_bytes");
        put(exp2zero, u32s(2, 0), u64s(1));
        put(exp2zero, u32s(2, 3), u64s(2));
        BpfMap linear = map(exporter, "maps", "linear_items");
        put(linear, u32s(3, 1), u64s(5));
        BpfMap fixed = map(exporter, "maps", "fixed_sizes");
        put(fixed, u32s(4, 5), u64s(2));
        put(fixed, u32s(4, 10), u64s(1));
        BpfMap percpuExp2 = map(exporter, "maps", "percpu_exp2_seconds");
        put(percpuExp2, u32s(5, 1), perCpu(percpuExp2, 1, 1));
        BpfMap perCpuExp2 = map(exporter, "maps", "per_cpu_exp2_seconds");
        put(perCpuExp2, u32s(6, 0), perCpu(perCpuExp2, 3, 0));
        put(perCpuExp2, u32s(6, 1), perCpu(perCpuExp2, 1, 2));
        put(perCpuExp2, u32s(6, 2), perCpu(perCpuExp2, 5, 7)); // bucket_max + 1: the sum
        text = exporter.scrapeText();
    }

    @AfterAll
    static void close() {
        if (exporter != null) {
            exporter.close();
        }
    }

    @Test
    void hashMapKeysDecodeThroughStaticMapWithUnknownValuesNamed() {
        assertThat(family(text, "ebpf_exporter_hash_events")).isEqualTo("""
                # HELP ebpf_exporter_hash_events_total Events by kind, from a hash map
                # TYPE ebpf_exporter_hash_events_total counter
                ebpf_exporter_hash_events_total{kind="read"} 3
                ebpf_exporter_hash_events_total{kind="unknown:7"} 11
                ebpf_exporter_hash_events_total{kind="write"} 5
                """);
    }

    @Test
    void arrayMapsExportEverySlotIncludingZeros() {
        assertThat(family(text, "ebpf_exporter_array_events")).isEqualTo("""
                # HELP ebpf_exporter_array_events_total Events by slot, from an array map
                # TYPE ebpf_exporter_array_events_total counter
                ebpf_exporter_array_events_total{slot="0"} 0
                ebpf_exporter_array_events_total{slot="1"} 42
                ebpf_exporter_array_events_total{slot="2"} 0
                ebpf_exporter_array_events_total{slot="3"} 0
                """);
    }

    @Test
    void perCpuMapsAreSummedOverCpus() {
        assertThat(family(text, "ebpf_exporter_percpu_hash_events")).isEqualTo("""
                # HELP ebpf_exporter_percpu_hash_events_total Events from a per-CPU hash, summed over CPUs
                # TYPE ebpf_exporter_percpu_hash_events_total counter
                ebpf_exporter_percpu_hash_events_total{id="0d0c0b0a"} 3
                """);
        assertThat(family(text, "ebpf_exporter_percpu_array_events")).contains(
                "ebpf_exporter_percpu_array_events_total{slot=\"1\"} 10\n",
                "ebpf_exporter_percpu_array_events_total{slot=\"0\"} 0\n");
    }

    @Test
    void perCpuMapWithLastLabelCpuHasOneSeriesPerCpu() {
        int cpus = map(exporter, "maps", "per_cpu_events_total").cpus();
        StringBuilder expected = new StringBuilder("""
                # HELP ebpf_exporter_per_cpu_events_total Events from a per-CPU array, one series per CPU
                # TYPE ebpf_exporter_per_cpu_events_total counter
                """);
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (int slot = 0; slot < 2; slot++) {
            for (int cpu = 0; cpu < cpus; cpu++) {
                long value = slot == 1 && cpu == 0 ? 7 : slot == 1 && cpu == 1 ? 9 : 0;
                lines.add("ebpf_exporter_per_cpu_events_total{cpu=\"" + cpu + "\",slot=\"" + slot + "\"} " + value);
            }
        }
        assertThat(family(text, "ebpf_exporter_per_cpu_events").lines().skip(2).sorted().toList())
                .isEqualTo(lines.stream().sorted().toList());
        assertThat(family(text, "ebpf_exporter_per_cpu_events")).startsWith(expected.toString());
    }

    @Test
    void lruMapWithStringAndRegexpDropsKeysThatDoNotMatch() {
        assertThat(family(text, "ebpf_exporter_lru_events")).isEqualTo("""
                # HELP ebpf_exporter_lru_events_total Events by name, from an LRU hash
                # TYPE ebpf_exporter_lru_events_total counter
                ebpf_exporter_lru_events_total{name="keepme"} 2
                """);
    }

    @Test
    void metricWithoutLabelsReadsKeyZero() {
        assertThat(family(text, "ebpf_exporter_unlabelled_events")).matches("""
                # HELP ebpf_exporter_unlabelled_events_total Events without labels
                # TYPE ebpf_exporter_unlabelled_events_total counter
                ebpf_exporter_unlabelled_events_total \\d+
                """);
    }

    @Test
    void multiValueCounterExportsOneFamilyPerValue() {
        assertThat(family(text, "ebpf_exporter_completions")).isEqualTo("""
                # HELP ebpf_exporter_completions_total Completed requests
                # TYPE ebpf_exporter_completions_total counter
                ebpf_exporter_completions_total{device="8"} 3
                """);
        assertThat(family(text, "ebpf_exporter_completed_bytes")).isEqualTo("""
                # HELP ebpf_exporter_completed_bytes_total Completed bytes
                # TYPE ebpf_exporter_completed_bytes_total counter
                ebpf_exporter_completed_bytes_total{device="8"} 12288
                """);
    }

    @Test
    void exp2HistogramIsCumulativeWithSumFromTheKeyAfterTheLast() {
        assertThat(family(text, "ebpf_exporter_exp2_seconds")).isEqualTo("""
                # HELP ebpf_exporter_exp2_seconds exp2 buckets in seconds
                # TYPE ebpf_exporter_exp2_seconds histogram
                ebpf_exporter_exp2_seconds_bucket{op="1",le="0.001"} 1
                ebpf_exporter_exp2_seconds_bucket{op="1",le="0.002"} 1
                ebpf_exporter_exp2_seconds_bucket{op="1",le="0.004"} 5
                ebpf_exporter_exp2_seconds_bucket{op="1",le="0.008"} 5
                ebpf_exporter_exp2_seconds_bucket{op="1",le="+Inf"} 5
                ebpf_exporter_exp2_seconds_sum{op="1"} 0.1
                ebpf_exporter_exp2_seconds_count{op="1"} 5
                """);
    }

    @Test
    void exp2zeroLinearAndFixedHistograms() {
        assertThat(family(text, "ebpf_exporter_exp2zero_bytes")).isEqualTo("""
                # HELP ebpf_exporter_exp2zero_bytes exp2zero buckets
                # TYPE ebpf_exporter_exp2zero_bytes histogram
                ebpf_exporter_exp2zero_bytes_bucket{op="2",le="0"} 1
                ebpf_exporter_exp2zero_bytes_bucket{op="2",le="1"} 1
                ebpf_exporter_exp2zero_bytes_bucket{op="2",le="2"} 1
                ebpf_exporter_exp2zero_bytes_bucket{op="2",le="4"} 3
                ebpf_exporter_exp2zero_bytes_bucket{op="2",le="+Inf"} 3
                ebpf_exporter_exp2zero_bytes_sum{op="2"} 0
                ebpf_exporter_exp2zero_bytes_count{op="2"} 3
                """);
        assertThat(family(text, "ebpf_exporter_linear_items")).isEqualTo("""
                # HELP ebpf_exporter_linear_items linear buckets
                # TYPE ebpf_exporter_linear_items histogram
                ebpf_exporter_linear_items_bucket{op="3",le="0"} 0
                ebpf_exporter_linear_items_bucket{op="3",le="10"} 5
                ebpf_exporter_linear_items_bucket{op="3",le="20"} 5
                ebpf_exporter_linear_items_bucket{op="3",le="+Inf"} 5
                ebpf_exporter_linear_items_sum{op="3"} 0
                ebpf_exporter_linear_items_count{op="3"} 5
                """);
        assertThat(family(text, "ebpf_exporter_fixed_sizes")).isEqualTo("""
                # HELP ebpf_exporter_fixed_sizes fixed buckets
                # TYPE ebpf_exporter_fixed_sizes histogram
                ebpf_exporter_fixed_sizes_bucket{op="4",le="1"} 0
                ebpf_exporter_fixed_sizes_bucket{op="4",le="5"} 2
                ebpf_exporter_fixed_sizes_bucket{op="4",le="10"} 3
                ebpf_exporter_fixed_sizes_bucket{op="4",le="+Inf"} 3
                ebpf_exporter_fixed_sizes_sum{op="4"} 0
                ebpf_exporter_fixed_sizes_count{op="4"} 3
                """);
    }

    @Test
    void perCpuHistogramBucketsAreSummedOverCpus() {
        assertThat(family(text, "ebpf_exporter_percpu_exp2_seconds")).isEqualTo("""
                # HELP ebpf_exporter_percpu_exp2_seconds exp2 buckets from a per-CPU map
                # TYPE ebpf_exporter_percpu_exp2_seconds histogram
                ebpf_exporter_percpu_exp2_seconds_bucket{op="5",le="1"} 0
                ebpf_exporter_percpu_exp2_seconds_bucket{op="5",le="2"} 2
                ebpf_exporter_percpu_exp2_seconds_bucket{op="5",le="+Inf"} 2
                ebpf_exporter_percpu_exp2_seconds_sum{op="5"} 0
                ebpf_exporter_percpu_exp2_seconds_count{op="5"} 2
                """);
    }

    @Test
    void perCpuHistogramWithLastLabelCpuHasOneHistogramPerCpu() {
        int cpus = map(exporter, "maps", "per_cpu_exp2_seconds").cpus();
        assertThat(cpus).as("this test needs two CPUs").isGreaterThanOrEqualTo(2);
        // Series are in label order: cpu "10" sorts before "2".
        java.util.List<String> cpuOrder = java.util.stream.IntStream.range(0, cpus).mapToObj(Integer::toString)
                .sorted().toList();
        StringBuilder expected = new StringBuilder("""
                # HELP ebpf_exporter_per_cpu_exp2_seconds exp2 buckets from a per-CPU map, one histogram per CPU
                # TYPE ebpf_exporter_per_cpu_exp2_seconds histogram
                """);
        for (String cpu : cpuOrder) {
            // cpu 0: bucket 0 = 3, bucket 1 = 1, sum 5; cpu 1: bucket 1 = 2, sum 7; the others empty
            long[] cumulative = switch (cpu) {
                case "0" -> new long[] {3, 4, 5};
                case "1" -> new long[] {0, 2, 7};
                default -> new long[] {0, 0, 0};
            };
            expected.append("""
                    ebpf_exporter_per_cpu_exp2_seconds_bucket{cpu="%1$s",op="6",le="1"} %2$d
                    ebpf_exporter_per_cpu_exp2_seconds_bucket{cpu="%1$s",op="6",le="2"} %3$d
                    ebpf_exporter_per_cpu_exp2_seconds_bucket{cpu="%1$s",op="6",le="+Inf"} %3$d
                    ebpf_exporter_per_cpu_exp2_seconds_sum{cpu="%1$s",op="6"} %4$d
                    ebpf_exporter_per_cpu_exp2_seconds_count{cpu="%1$s",op="6"} %3$d
                    """.formatted(cpu, cumulative[0], cumulative[1], cumulative[2]));
        }
        assertThat(family(text, "ebpf_exporter_per_cpu_exp2_seconds")).isEqualTo(expected.toString());
    }
}
