package dev.ebpfexporter.collector;

import dev.ebpfexporter.compat.TestPrograms;
import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.decoder.DecoderRegistry;
import dev.ebpfexporter.metrics.MetricOptions;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.KernelHeld;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shutting down many configs is quick: 90 configs made from a bundled example and a test program
 * (80 with a perf buffer thread and a tp_btf link, 10 with a tracepoint and a cgroup_id_map thread)
 * detach and unload in well under the 30 s the shutdown gets. Closed one after another they took
 * 5.9 s here (each event thread finishes its current 100 ms poll); closed at once, 0.2 to 0.4 s.
 */
class ManyConfigsShutdownTest {
    private static final int EVENT_CONFIGS = 80;
    private static final int CGROUP_CONFIGS = 10;
    /** Several times what closing at once takes here, and less than half of closing one after another. */
    private static final Duration BOUND = Duration.ofSeconds(2);

    @Test
    @Timeout(120)
    void ninetyConfigsDetachAndUnloadWithinTheBound(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < EVENT_CONFIGS; i++) {
            Files.copy(BpfAvailability.examples().resolve("oomkill.yaml"), dir.resolve("events" + i + ".yaml"));
            Files.copy(BpfAvailability.examples().resolve("oomkill.bpf.o"), dir.resolve("events" + i + ".bpf.o"));
            names.add("events" + i);
        }
        for (int i = 0; i < CGROUP_CONFIGS; i++) {
            TestPrograms.config(dir, "cgroups" + i, "cgroup_ids", TestPrograms.cgroupIds("cgroup_id_map", "hash",
                    "^/ebpf-exporter-no-such-cgroup$"));
            names.add("cgroups" + i);
        }
        List<ExporterConfig> configs = new ArrayList<>();
        ConfigFiles files = new ConfigFiles();
        for (String name : names) {
            configs.addAll(files.load(dir, name).configs());
        }
        KernelHeld before = KernelHeld.now();
        Exporter exporter = new Exporter(new ObjectLoader(DecoderRegistry.forSystem()::create, Optional.empty(),
                MetricOptions.DEFAULT));
        assertThat(exporter.load(configs)).isEmpty();
        assertThat(exporter.configs()).hasSize(EVENT_CONFIGS + CGROUP_CONFIGS);
        assertThat(KernelHeld.threads("events-")).hasSize(EVENT_CONFIGS);

        long started = System.nanoTime();
        exporter.close();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("closed %d configs in %d ms%n", names.size(), took.toMillis());

        assertThat(took).as("closing %d configs", names.size()).isLessThan(BOUND);
        assertThat(KernelHeld.now().since(before)).as("descriptors left").isEmpty();
        assertThat(KernelHeld.threads("events-", "cgroup-id-map-")).as("threads left").isEmpty();
    }

    /**
     * What detaching costs by attach kind, printed for docs/safety.md: 5 configs of attach.bpf.o,
     * each link closed alone and timed. Every link goes, with every descriptor of the loads.
     */
    @Test
    @Timeout(120)
    void detachCostByAttachKind(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        List<ExporterConfig> configs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TestPrograms.config(dir, "links" + i, "attach", TestPrograms.ATTACH_YAML);
            configs.addAll(new ConfigFiles().load(dir, "links" + i).configs());
        }
        KernelHeld before = KernelHeld.now();
        ObjectLoader loader = new ObjectLoader(DecoderRegistry.forSystem()::create, Optional.empty(), MetricOptions.DEFAULT);
        java.util.Map<String, List<Long>> byKind = new java.util.TreeMap<>();
        for (ExporterConfig config : configs) {
            LoadedConfig loaded = loader.load(config);
            for (ProgramState program : loaded.programs()) {
                if (program.link().isEmpty()) {
                    continue; // xdp/lo attaches once per interface
                }
                long started = System.nanoTime();
                program.link().get().close();
                byKind.computeIfAbsent(program.program().section().split("/")[0], k -> new ArrayList<>())
                        .add((System.nanoTime() - started) / 1_000_000);
            }
            loaded.close();
        }
        byKind.forEach((kind, millis) -> System.out.printf("detach %s: %s ms%n", kind, millis));
        assertThat(byKind).containsKeys("tp", "raw_tp", "tp_btf", "uprobe", "uretprobe", "usdt");
        assertThat(KernelHeld.now().since(before)).as("descriptors left").isEmpty();
    }
}
