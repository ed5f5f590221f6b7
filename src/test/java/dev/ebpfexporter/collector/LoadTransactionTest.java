package dev.ebpfexporter.collector;

import dev.ebpfexporter.compat.TestPrograms;
import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.decoder.DecoderRegistry;
import dev.ebpfexporter.metrics.MetricOptions;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.KernelHeld;
import dev.ebpfexporter.tracing.Tracing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Loading a config is one transaction: a failure injected at every step of a real load, an
 * {@code Error} as well as an exception, leaves nothing behind. Checked against the kernel, not
 * against the loader's own lists: this process's BPF and perf event descriptors, the program, map
 * and link ids bpftool lists, and the event and cgroup threads.
 */
class LoadTransactionTest {
    @TempDir
    static Path dir;
    private static Tracing tracing;

    /** Test configs that together make every kind of resource a load owns. */
    private static final Map<String, String> CONFIGS = Map.of(
            "links", "tp, raw_tp, tp_btf, uprobe, uretprobe, usdt and xdp links",
            "spans", "a uprobe link and a ring buffer thread",
            "cgroups", "a tracepoint link and a cgroup_id_map thread",
            "events", "a tracepoint link and a perf buffer thread");

    @BeforeAll
    static void configs() throws Exception {
        BpfAvailability.require();
        TestPrograms.config(dir, "links", "attach", TestPrograms.ATTACH_YAML);
        TestPrograms.config(dir, "spans", "spans", TestPrograms.SPANS_YAML);
        TestPrograms.config(dir, "cgroups", "cgroup_ids", TestPrograms.cgroupIds("cgroup_id_map", "hash",
                "^/ebpf-exporter-no-such-cgroup$"));
        Files.copy(BpfAvailability.examples().resolve("oomkill.yaml"), dir.resolve("events.yaml"));
        Files.copy(BpfAvailability.examples().resolve("oomkill.bpf.o"), dir.resolve("events.bpf.o"));
        tracing = Tracing.create(Map.of("otel.traces.exporter", "none"));
    }

    @AfterAll
    static void closeTracing() {
        if (tracing != null) {
            tracing.close();
        }
    }

    @Test
    void everyStepOfEveryConfigIsCheckpointed() throws Exception {
        List<String> steps = steps("links");
        assertThat(steps).startsWith("open", "bind", "load").endsWith("loaded")
                .contains("attach on_tp", "attach on_uprobe", "attach on_usdt", "attach on_xdp");
        assertThat(steps("spans")).contains("attach marker_span", "pump marker_spans");
        assertThat(steps("cgroups")).contains("cgroup_id_map cgroup_id_map");
        assertThat(steps("events")).anyMatch(s -> s.startsWith("pump "));
    }

    @Test
    void anExceptionAtAnyStepLeavesNothing() throws Exception {
        failAtEveryStep(step -> new IllegalStateException("injected at " + step));
    }

    @Test
    void anErrorAtAnyStepLeavesNothing() throws Exception {
        failAtEveryStep(step -> new OutOfMemoryError("injected at " + step));
    }

    @Test
    void closingALoadedConfigLeavesNothing() throws Exception {
        for (String name : CONFIGS.keySet()) {
            KernelHeld before = KernelHeld.now();
            LoadedConfig loaded = loader(step -> { }).load(config(name));
            Set<String> made = KernelHeld.now().since(before);
            assertThat(KernelHeld.ids(made, "link_id")).as("%s: links made", name).isNotEmpty();
            loaded.close();
            loaded.close(); // once: a second close does nothing
            assertNothingLeft(name + " closed", before, made);
        }
    }

    private void failAtEveryStep(Function<String, Throwable> failure) throws Exception {
        int checked = 0;
        for (String name : CONFIGS.keySet()) {
            for (String step : steps(name)) {
                KernelHeld before = KernelHeld.now();
                List<Set<String>> atFailure = new ArrayList<>();
                ObjectLoader loader = loader(reached -> {
                    if (reached.equals(step)) {
                        atFailure.add(KernelHeld.now().since(before));
                        throw sneaky(failure.apply(reached));
                    }
                });
                Throwable expected = failure.apply(step);
                assertThatThrownBy(() -> loader.load(config(name))).as("%s failing at %s", name, step)
                        .isInstanceOf(expected.getClass()).hasMessage(expected.getMessage());
                assertThat(atFailure).as("%s reached %s", name, step).hasSize(1);
                assertNothingLeft(name + " failing at " + step, before, atFailure.getFirst());
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(20);
    }

    /**
     * Nothing that was held at the failure (or after the load) is held by this process now, nor
     * exists in the kernel at all, and no event or cgroup thread runs. The kernel frees a program and
     * then its maps after a grace period, so their ids get a few seconds to go.
     */
    private static void assertNothingLeft(String what, KernelHeld before, Set<String> made) throws Exception {
        assertThat(KernelHeld.now().since(before)).as("%s: descriptors still open", what).isEmpty();
        for (String kind : List.of("prog", "map", "link")) {
            Set<Integer> ids = KernelHeld.ids(made, kind + "_id");
            Set<Integer> left = new TreeSet<>(ids);
            for (long deadline = System.nanoTime() + 10_000_000_000L; !left.isEmpty() && System.nanoTime() < deadline; ) {
                left.retainAll(KernelHeld.inKernel(kind));
                if (!left.isEmpty()) {
                    Thread.sleep(50);
                }
            }
            assertThat(left).as("%s: %s ids still in the kernel", what, kind).isEmpty();
        }
        assertThat(KernelHeld.threads("events-", "cgroup-id-map-")).as("%s: threads still running", what).isEmpty();
    }

    /** The steps a load of config {@code name} goes through, in order. */
    private static List<String> steps(String name) throws Exception {
        List<String> steps = new ArrayList<>();
        loader(steps::add).load(config(name)).close();
        return steps;
    }

    private static ObjectLoader loader(ObjectLoader.Checkpoint checkpoint) {
        return new ObjectLoader(DecoderRegistry.forSystem()::create, Optional.empty(), MetricOptions.DEFAULT,
                () -> tracing, Optional.empty(), checkpoint);
    }

    private static ExporterConfig config(String name) throws Exception {
        return new ConfigFiles().load(dir, name).configs().getFirst();
    }

    private static RuntimeException sneaky(Throwable t) {
        if (t instanceof Error error) {
            throw error;
        }
        return (RuntimeException) t;
    }
}
