package dev.ebpfexporter.bcc;

import dev.ebpfexporter.btf.KernelBtf;
import dev.ebpfexporter.testing.LogCapture;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.ebpfexporter.collector.LoadedConfig;
import dev.ebpfexporter.collector.ObjectLoader;
import dev.ebpfexporter.collector.ProgramState;
import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.InlinePrograms;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.TimerStarts;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inline (v1, {@code programs:}) configs end to end: loaded into the kernel by the exporter, exercised, scraped.
 */
class InlineExporterTest {
    @TempDir
    Path dir;

    @Test
    void specTimersConfigRunsVerbatimWithKernelSymbolNames() throws Exception {
        BpfAvailability.require();
        // src/test/resources/dev/ebpfexporter/bcc/timers.yaml is an inline (programs:) config as users of the first format wrote it.
        Path resources = TestCompilers.resource("timers.yaml").getParent();
        String metric = "ebpf_exporter_timer_start_total";
        try (InProcessExporter exporter = InProcessExporter.load(resources, "timers")) {
            assertThat(exporter.failures()).isEmpty();
            assertThat(exporter.configs()).extracting(LoadedConfig::name).containsExactly("timers");
            assertAllAttached(exporter);
            TimerStarts.assertCountedByKernelFunction(exporter, metric);
        }
    }

    @Test
    void everyProgramOfAFileBecomesAConfigAndExports() throws Exception {
        BpfAvailability.require();
        Files.writeString(dir.resolve("multi.yaml"), """
                programs:
                  - name: timers
                    metrics:
                      counters:
                        - name: multi_timer_start_total
                          help: Timers started
                          table: counts
                          labels:
                            - name: function
                              size: 8
                              decoders:
                                - name: ksym
                    tracepoints:
                      timer:timer_start: tracepoint__timer__timer_start
                    code: |
                      BPF_HASH(counts, u64);
                      TRACEPOINT_PROBE(timer, timer_start) {
                          counts.increment((u64) args->function);
                          return 0;
                      }
                """ + InlinePrograms.syscallCounter("syscalls", "multi_syscalls_total"));
        try (InProcessExporter exporter = InProcessExporter.load(dir, "multi")) {
            assertThat(exporter.failures()).isEmpty();
            assertThat(exporter.configs()).extracting(LoadedConfig::name)
                    .containsExactly("multi/timers", "multi/syscalls");
            assertAllAttached(exporter);
            Workloads.armTcpTimers();
            Samples first = exporter.scrape();
            assertThat(first.sum("ebpf_exporter_multi_timer_start_total")).isPositive();
            assertThat(first.sum("ebpf_exporter_multi_syscalls_total")).isPositive();
            assertThat(first.named("ebpf_exporter_enabled_configs")).extracting(s -> s.label("name"))
                    .contains("multi/timers", "multi/syscalls");
            Workloads.armTcpTimers();
            Samples second = exporter.scrape();
            assertThat(second.sum("ebpf_exporter_multi_timer_start_total"))
                    .isGreaterThan(first.sum("ebpf_exporter_multi_timer_start_total"));
            assertThat(second.sum("ebpf_exporter_multi_syscalls_total"))
                    .isGreaterThan(first.sum("ebpf_exporter_multi_syscalls_total"));
        }
    }

    /**
     * BCC's {@code bpf_log2l(v)} is floor(log2(v)) + 1 (and 1 for 0): slot k holds [2^(k-1), 2^k), so with
     * {@code bucket_type: exp2} slot k is exported as {@code le = 2^k}, the same bounds as the v2 example's
     * {@code exp2_slot} ((2^(k-1), 2^k]). Only values that are exactly a power of two land one bucket higher.
     */
    @Test
    void bccStyleHistogramMatchesTheV2Biolatency() throws Exception {
        BpfAvailability.require();
        Path v2Object = BpfAvailability.examples().resolve("biolatency.bpf.o");
        assertThat(v2Object).as("examples are built by the test build").isRegularFile();
        Files.writeString(dir.resolve("bcc_biolatency.yaml"), """
                programs:
                  # BCC's biolatency -D, on the block tracepoints, in the same exp2 microsecond buckets as examples/.
                  - name: biolatency
                    metrics:
                      histograms:
                        - name: bio_latency_seconds
                          help: Block IO latency histogram
                          table: dist
                          bucket_type: exp2
                          bucket_min: 0
                          bucket_max: 27
                          bucket_multiplier: 0.000001 # microseconds to seconds
                          labels:
                            - name: device
                              size: 4
                              padding: 4
                              decoders:
                                - name: majorminor
                            - name: bucket
                              size: 8
                              decoders:
                                - name: uint
                    tracepoints:
                      block:block_rq_issue: tracepoint__block__block_rq_issue
                      block:block_rq_complete: tracepoint__block__block_rq_complete
                    code: |
                      #include <uapi/linux/ptrace.h>
                      #include <linux/blkdev.h>

                      struct start_key {
                          u32 dev;
                          u32 pad;
                          u64 sector;
                      };

                      typedef struct disk_key {
                          u32 dev;
                          u32 pad;
                          u64 slot;
                      } disk_key_t;

                      BPF_HASH(start, struct start_key, u64);
                      BPF_HISTOGRAM(dist, disk_key_t, 256);

                      TRACEPOINT_PROBE(block, block_rq_issue) {
                          struct start_key key = {};
                          u64 ts = bpf_ktime_get_ns();

                          key.dev = args->dev;
                          key.sector = args->sector;
                          start.update(&key, &ts);
                          return 0;
                      }

                      TRACEPOINT_PROBE(block, block_rq_complete) {
                          struct start_key key = {};
                          disk_key_t dkey = {};
                          u64 *tsp, delta;
                          u32 major, minor;

                          key.dev = args->dev;
                          key.sector = args->sector;
                          tsp = start.lookup(&key);
                          if (tsp == 0) {
                              return 0; // missed issue
                          }
                          delta = (bpf_ktime_get_ns() - *tsp) / 1000;
                          // kernel dev_t (major << 20 | minor) to the userspace layout majorminor decodes
                          major = args->dev >> 20;
                          minor = args->dev & 0xfffff;
                          dkey.dev = (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
                          dkey.slot = bpf_log2l(delta);
                          dist.increment(dkey);
                          start.delete(&key);
                          return 0;
                      }
                """);
        Path target = Files.createTempFile(Path.of("/var/tmp"), "bcc-biolatency-", ".dat");
        String metric = "ebpf_exporter_bio_latency_seconds";
        try (InProcessExporter bcc = InProcessExporter.load(dir, "bcc_biolatency");
             InProcessExporter v2 = InProcessExporter.examples("biolatency")) {
            assertThat(bcc.failures()).isEmpty();
            assertThat(v2.failures()).isEmpty();
            assertAllAttached(bcc);
            assertAllAttached(v2);
            // IO issued before both were attached would be seen by one only: let it drain. Scrape once so later
            // scrapes are quick: other IO on the machine that completes between the two exporters' scrapes is seen
            // by one only, so a window where that happened (a concurrent build, say) is measured again.
            BpfEnvironment.output(List.of("sync"));
            Thread.sleep(300);
            bcc.scrape();
            v2.scrape();
            AssertionError last = null;
            for (int attempt = 1; attempt <= 3; attempt++) {
                Samples a0 = bcc.scrape();
                Samples b0 = v2.scrape();
                BpfEnvironment.output(List.of("dd", "if=/dev/zero", "of=" + target, "bs=4k", "count=200",
                        "oflag=direct", "conv=fsync"));
                Samples b1 = v2.scrape();
                Samples a1 = bcc.scrape();
                try {
                    compareHistograms(metric, a0, a1, b0, b1);
                    return;
                } catch (AssertionError e) {
                    System.out.println("biolatency comparison, attempt " + attempt + ": " + e.getMessage());
                    last = e;
                }
            }
            throw last;
        } finally {
            Files.deleteIfExists(target);
        }
    }

    /** a0..a1: the BCC-style config's window, b0..b1 (inside it) the v2 one's. */
    private static void compareHistograms(String metric, Samples a0, Samples a1, Samples b0, Samples b1) {
        Set<String> devicesA = devices(a1, metric);
        Set<String> devicesB = devices(b1, metric);
        assertThat(devicesA).as("devices seen by the BCC-style config").isNotEmpty().isEqualTo(devicesB);
        double total = 0;
        for (String device : devicesA) {
            Map<Double, Double> bccBuckets = delta(cumulative(a1, metric, device), cumulative(a0, metric, device));
            Map<Double, Double> v2Buckets = delta(cumulative(b1, metric, device), cumulative(b0, metric, device));
            assertThat(bccBuckets.keySet()).as("le values of %s", device).isEqualTo(v2Buckets.keySet());
            double bccCount = bccBuckets.get(Double.POSITIVE_INFINITY);
            double v2Count = v2Buckets.get(Double.POSITIVE_INFINITY);
            total += bccCount;
            System.out.printf("biolatency %s: BCC-style %s%n                 v2        %s%n", device,
                    bccBuckets, v2Buckets);
            if (v2Count == 0 && bccCount == 0) {
                continue;
            }
            // Both trace the same requests.
            assertThat(bccCount).as("count of %s", device).isCloseTo(v2Count,
                    org.assertj.core.data.Offset.offset(Math.max(10, v2Count * 0.05)));
            // Timed a few instructions apart, a request rarely changes bucket: the median bucket agrees.
            assertThat(Math.abs(Math.log(median(bccBuckets)) - Math.log(median(v2Buckets))) / Math.log(2))
                    .as("median bucket of %s", device).isLessThanOrEqualTo(1.0);
        }
        // The 200 direct writes went to the root filesystem's disk, which both saw.
        assertThat(total).as("requests seen").isGreaterThanOrEqualTo(200);
    }

    private static Set<String> devices(Samples samples, String metric) {
        return samples.named(metric + "_bucket").stream().map(s -> s.label("device"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<Double, Double> delta(Map<Double, Double> after, Map<Double, Double> before) {
        Map<Double, Double> result = new TreeMap<>(after);
        before.forEach((le, v) -> result.merge(le, -v, Double::sum));
        return result;
    }

    private static Map<Double, Double> cumulative(Samples samples, String metric, String device) {
        Map<Double, Double> byLe = new TreeMap<>();
        for (Samples.Sample s : samples.named(metric + "_bucket", s -> device.equals(s.label("device")))) {
            byLe.merge(Double.parseDouble(s.label("le").replace("+Inf", "Infinity")), s.value(), Double::sum);
        }
        return byLe;
    }

    private static double median(Map<Double, Double> cumulative) {
        double half = cumulative.get(Double.POSITIVE_INFINITY) / 2;
        return cumulative.entrySet().stream().filter(e -> e.getValue() >= half).findFirst().orElseThrow().getKey();
    }

    @Test
    void secondStartIsACacheHitThatSaysSoAndIsFaster() throws Exception {
        BpfAvailability.require();
        Path cache = Files.createDirectory(dir.resolve("empty-cache"));
        Path yaml = TestCompilers.resource("timers.yaml");
        try (LogCapture log = LogCapture.of(BccCompiler.class)) {
            // Each start is a new toolchain and compiler, as in a new process; only the cache directory is shared.
            Supplier<InlineConfigs> start = () -> new InlineConfigs(
                    new BccCompiler(ClangToolchain.system(KernelBtf.SYSFS), ObjectCache.at(cache)));
            long t0 = System.nanoTime();
            List<ExporterConfig> cold = start.get().read(yaml);
            long coldNanos = System.nanoTime() - t0;
            long t1 = System.nanoTime();
            List<ExporterConfig> cached = start.get().read(yaml);
            long cachedNanos = System.nanoTime() - t1;
            System.out.printf("inline timers.yaml load: cold (empty cache) %.1f ms, cached %.1f ms%n",
                    coldNanos / 1e6, cachedNanos / 1e6);

            Path object = cold.getFirst().objectFile();
            assertThat(object.getParent()).isEqualTo(cache);
            assertThat(cached.getFirst().objectFile()).isEqualTo(object);
            List<String> messages = log.messages();
            assertThat(messages).hasSize(2);
            assertThat(messages.get(0)).startsWith(yaml + ": program \"timers\": compiled to " + object + " in ");
            assertThat(messages.get(1))
                    .isEqualTo(yaml + ": program \"timers\": cache hit, using " + object + " (clang skipped)");
            assertThat(cachedNanos).isLessThan(coldNanos);
        }
    }

    @Test
    void aKprobeThatCannotAttachIsOneErrorLineAndTheOtherProgramsKeepWorking() throws Exception {
        BpfAvailability.require();
        // This kernel has no kprobes (CONFIG_KPROBES off); on one that has them, a missing function fails instead.
        boolean kprobes = Files.exists(Path.of("/sys/bus/event_source/devices/kprobe"))
                || Files.exists(Path.of("/sys/kernel/tracing/kprobe_events"));
        String function = kprobes ? "ebpf_exporter_no_such_function" : "vfs_read";
        Files.writeString(dir.resolve("mixed.yaml"), "programs:\n"
                + InlinePrograms.counter("reads", "mixed_vfs_reads_total", "kprobes:\n  " + function + ": kprobe__vfs_read",
                        "kprobe__vfs_read", "struct pt_regs", "calls.increment(0);")
                + InlinePrograms.syscallCounter("syscalls", "mixed_syscalls_total"));
        try (LogCapture log = LogCapture.of(ObjectLoader.class);
             InProcessExporter exporter = InProcessExporter.load(dir, "mixed")) {
            assertThat(exporter.failures()).as("an attach failure is not a load failure").isEmpty();
            assertThat(exporter.configs()).extracting(LoadedConfig::name)
                    .containsExactly("mixed/reads", "mixed/syscalls");
            ProgramState kprobe = program(exporter, "mixed/reads", "kprobe__vfs_read");
            ProgramState tracepoint = program(exporter, "mixed/syscalls", "count_syscalls");
            assertThat(kprobe.attached()).isFalse();
            assertThat(tracepoint.attached()).isTrue();

            List<String> errors = log.events().stream().filter(e -> e.getLevel() == Level.ERROR)
                    .map(ILoggingEvent::getFormattedMessage).toList();
            System.out.println("kprobe attach error: " + errors);
            assertThat(errors).singleElement().satisfies(line -> {
                assertThat(line).doesNotContain("\n")
                        .isEqualTo("config mixed/reads: program kprobe__vfs_read (kprobe/" + function
                                + ") not attached: " + kprobe.error().orElseThrow());
                // the kernel's reason
                assertThat(line).contains("attach to kprobe/" + function + " failed: No such file or directory");
                if (!kprobes) {
                    assertThat(line).endsWith(": this kernel has no kprobes (no kprobe PMU, no kprobe_events in "
                            + "tracefs: CONFIG_KPROBES is off)");
                }
            });

            Samples first = exporter.scrape();
            assertThat(first.named("ebpf_exporter_ebpf_program_attached", s -> s.label("id")
                    .equals(Integer.toString(kprobe.id())))).singleElement().extracting(Samples.Sample::value)
                    .isEqualTo(0.0);
            assertThat(first.named("ebpf_exporter_ebpf_program_attached", s -> s.label("id")
                    .equals(Integer.toString(tracepoint.id())))).singleElement().extracting(Samples.Sample::value)
                    .isEqualTo(1.0);
            assertThat(first.sum("ebpf_exporter_mixed_vfs_reads_total")).isZero();
            // (scraping itself makes system calls)
            Samples second = exporter.scrape();
            assertThat(second.sum("ebpf_exporter_mixed_syscalls_total"))
                    .isGreaterThan(first.sum("ebpf_exporter_mixed_syscalls_total"));
        }
    }

    @Test
    void cpuClockPerfEventWithSamplePeriodAttachesAndCounts() throws Exception {
        BpfAvailability.require();
        Files.writeString(dir.resolve("clock.yaml"), "programs:\n" + InlinePrograms.counter("clock",
                "cpu_clock_samples_total", """
                        perf_events:
                          - type: 1 # PERF_TYPE_SOFTWARE
                            name: 0 # PERF_COUNT_SW_CPU_CLOCK
                            target: on_sample
                            sample_period: 1000000 # ns of CPU time
                        """, "on_sample", "struct bpf_perf_event_data", "calls.increment(0);"));
        try (InProcessExporter exporter = InProcessExporter.load(dir, "clock")) {
            assertThat(exporter.failures()).isEmpty();
            assertAllAttached(exporter);
            double first = exporter.scrape().sum("ebpf_exporter_cpu_clock_samples_total");
            burnCpu(300);
            double second = exporter.scrape().sum("ebpf_exporter_cpu_clock_samples_total");
            // 300 ms of CPU at one sample per ms; generous slack for a loaded machine, but far more than one.
            assertThat(second - first).isGreaterThan(100);
        }
    }

    @Test
    void unsupportedConstructAndClangErrorAreOneLineAtTheirYamlLine() throws Exception {
        BpfAvailability.require();
        Path unsupported = TestCompilers.config(dir, "unsupported", "raw_tracepoints:\n  sys_enter: f", """
                BPF_HASH(counts);
                BPF_STACK_TRACE(stacks, 1024);
                int f(void *ctx) { return 0; }""");
        Path broken = TestCompilers.config(dir, "broken", "raw_tracepoints:\n  sys_enter: f", """
                BPF_HASH(counts);
                int f(void *ctx) {
                    counts.increment(no_such_variable);
                    return 0;
                }""");
        try (InProcessExporter exporter = InProcessExporter.load(dir, "unsupported", "broken")) {
            assertThat(exporter.configs()).isEmpty();
            assertThat(exporter.failures()).containsExactly(
                    unsupported + ":9: program \"unsupported\": BPF_STACK_TRACE is not supported",
                    broken + ":10: program \"broken\": use of undeclared identifier 'no_such_variable'");
        }
    }

    private static ProgramState program(InProcessExporter exporter, String config, String name) {
        return exporter.configs().stream().filter(c -> c.name().equals(config)).findFirst().orElseThrow()
                .programs().stream().filter(p -> p.program().name().equals(name)).findFirst().orElseThrow();
    }

    private static void assertAllAttached(InProcessExporter exporter) {
        assertThat(exporter.configs()).isNotEmpty();
        for (LoadedConfig config : exporter.configs()) {
            assertThat(config.programs()).as("programs of %s", config.name()).isNotEmpty()
                    .allSatisfy(p -> assertThat(p.attached()).as("%s attached: %s", p.program().name(), p.error())
                            .isTrue());
        }
    }

    private static void burnCpu(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        long x = 0;
        while (System.nanoTime() < end) {
            x += x * 31 + 7;
        }
        if (x == 42) {
            System.out.println(x);
        }
    }

}
