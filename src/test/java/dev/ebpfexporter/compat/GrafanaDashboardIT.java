package dev.ebpfexporter.compat;

import dev.ebpfexporter.testing.Scrapes;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.KernelFeatures;
import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every query of deploy/grafana/ebpf-exporter.json against two real Prometheus 2.42 servers, one
 * with {@code --enable-feature=native-histograms} and one without, both scraping one launched
 * exporter with every bundled example, plus a config that fails to load (under
 * {@code --config.allow-failures}) and a copy of timers (its family is a duplicate, so scrapes count
 * an error), while the examples' events are made to happen. Each panel must answer on both servers,
 * and each target on at least one (the block IO size heatmap's classic query answers without native
 * histograms, its native one with). Panels whose example cannot attach here are listed in
 * {@link #unavailable()} with the reason, and must then be empty.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class GrafanaDashboardIT {
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(90);

    /** A panel's title and its targets' expressions, with Grafana's variables substituted. */
    record Panel(String title, List<String> exprs) {
    }

    /** Panels that cannot have data on this machine, by title, with the reason. */
    private static Map<String, String> unavailable() {
        Map<String, String> out = new TreeMap<>();
        if (!KernelFeatures.kprobes()) {
            out.put("TCP connect attempts by family", "tcp-connect attaches kprobes: this kernel has no CONFIG_KPROBES");
            out.put("Dentry cache lookups and misses", "dcstat attaches kprobes: this kernel has no CONFIG_KPROBES");
            out.put("fsync() latency", "fsync-latency: fentry is refused here (FsyncLatencyTest) and its kprobe"
                    + " fallback needs CONFIG_KPROBES");
        }
        if (!KernelFeatures.hardwarePmu()) {
            out.put("LLC miss ratio by CPU", "llc needs a hardware PMU with cache events");
        }
        return out;
    }

    @Test
    void everyPanelAnswersWithAndWithoutNativeHistograms(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        List<Panel> panels = panels(BpfAvailability.projectRoot().resolve("deploy/grafana/ebpf-exporter.json"));
        assertThat(panels).extracting(Panel::title).containsAll(unavailable().keySet())
                .contains("TCP connect attempts by family", "fsync() latency", "Dentry cache lookups and misses",
                        "eBPF programs attached", "Failed configs and reload status", "Scrape errors",
                        "Series dropped by the series limit", "Decoder errors", "Events lost");
        Path configs = configDir(dir);
        Process exporter = null;
        AtomicBoolean stop = new AtomicBoolean();
        Thread load = null;
        try {
            int port = Ports.free();
            exporter = launch(configs, port, dir.resolve("exporter.log"));
            try (PrometheusServer classic = PrometheusServer.start(dir.resolve("classic"), Map.of("ebpf", port), false);
                 PrometheusServer nativeToo = PrometheusServer.start(dir.resolve("native"), Map.of("ebpf", port), true);
                 Workloads.NetNs ns = Workloads.netns("dash" + ProcessHandle.current().pid() % 100_000);
                 Workloads.Cgroup cgroup = Workloads.memoryCgroup("dash", 16L << 20)) {
                Process syn = Workloads.unansweredSyn(ns);
                try {
                    Workloads.oomInside(cgroup, "dashoom");
                    load = Thread.ofVirtual().start(() -> events(stop));
                    Map<String, PrometheusServer> servers = Map.of("classic", classic, "native-histograms", nativeToo);
                    assertAnswers(panels, servers);
                } finally {
                    Workloads.kill(syn);
                }
            }
        } finally {
            stop.set(true);
            if (load != null) {
                load.join(Duration.ofSeconds(30));
            }
            if (exporter != null) {
                exporter.destroy();
                if (!exporter.waitFor(20, TimeUnit.SECONDS)) {
                    exporter.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static void assertAnswers(List<Panel> panels, Map<String, PrometheusServer> servers) throws Exception {
        Map<String, String> unavailable = unavailable();
        long deadline = System.nanoTime() + ANSWER_WITHIN.toNanos();
        List<String> missing = new ArrayList<>();
        for (Panel panel : panels) {
            Map<String, Boolean> answeredOn = new LinkedHashMap<>();
            Map<String, Boolean> exprAnswered = new LinkedHashMap<>();
            panel.exprs().forEach(e -> exprAnswered.put(e, false));
            servers.keySet().forEach(s -> answeredOn.put(s, false));
            while (true) {
                for (var server : servers.entrySet()) {
                    for (String expr : panel.exprs()) {
                        if (!server.getValue().query(expr).isEmpty()) {
                            answeredOn.put(server.getKey(), true);
                            exprAnswered.put(expr, true);
                        }
                    }
                }
                boolean done = !answeredOn.containsValue(false) && !exprAnswered.containsValue(false);
                if (done || unavailable.containsKey(panel.title()) || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(500);
            }
            if (unavailable.containsKey(panel.title())) {
                assertThat(answeredOn.containsValue(true)).as("%s is listed as unavailable (%s) but answered",
                        panel.title(), unavailable.get(panel.title())).isFalse();
                continue;
            }
            answeredOn.forEach((server, ok) -> {
                if (!ok) {
                    missing.add(panel.title() + ": no data on the " + server + " server for " + panel.exprs());
                }
            });
            exprAnswered.forEach((expr, ok) -> {
                if (!ok) {
                    missing.add(panel.title() + ": no data on either server for " + expr);
                }
            });
        }
        assertThat(missing).as("panels without data").isEmpty();
    }

    /** Every panel with targets, in the dashboard's order; rows nest none here (they are not collapsed). */
    @SuppressWarnings("unchecked")
    static List<Panel> panels(Path dashboard) throws IOException {
        Map<String, Object> json = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(dashboard));
        List<Panel> out = new ArrayList<>();
        for (Object p : (List<Object>) json.get("panels")) {
            Map<String, Object> panel = (Map<String, Object>) p;
            assertThat((List<Object>) panel.getOrDefault("panels", List.of())).as("collapsed row %s", panel.get("title")).isEmpty();
            List<Object> targets = (List<Object>) panel.getOrDefault("targets", List.of());
            if (panel.get("type").equals("row")) {
                continue;
            }
            assertThat(targets).as("targets of %s", panel.get("title")).isNotEmpty();
            out.add(new Panel((String) panel.get("title"), targets.stream()
                    .map(t -> substitute((String) ((Map<String, Object>) t).get("expr"))).toList()));
        }
        return out;
    }

    /** Grafana's variables as a dashboard showing the last minutes of every instance would set them. */
    static String substitute(String expr) {
        String out = expr.replace("$__rate_interval", "15s").replace("$__range", "5m")
                .replace("$instance", ".*");
        assertThat(out).as("a variable left in %s", expr).doesNotContain("$");
        return out;
    }

    /** Every example's events, again and again until {@code stop}: rates need increases in each window. */
    private static void events(AtomicBoolean stop) {
        while (!stop.get()) {
            Workloads.tcpTraffic(20, 100);
            Workloads.tcpConnects(5);
            Workloads.execLoop("/bin/true", 3);
            Workloads.runOk("getent", "ahosts", "localhost");
            Workloads.fsyncLoop(5);
            Workloads.createAndDelete(5);
            try (Workloads.ScratchFile file = Workloads.scratchFile("dash")) {
                Workloads.directWrite(file.path(), 65536, 4);
                Workloads.directRead(file.path(), 4096);
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * The examples (yaml and object), plus {@code broken} (an object that is not ELF: fails to load)
     * and {@code timers-copy} (timers again: its family duplicates timers', one is left out of each scrape).
     */
    private static Path configDir(Path dir) throws IOException {
        Path examples = BpfAvailability.examples();
        Path configs = Files.createDirectories(dir.resolve("configs"));
        try (Stream<Path> files = Files.list(examples)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".yaml") || name.endsWith(".bpf.o")) {
                    Files.copy(file, configs.resolve(name));
                }
            }
        }
        Files.copy(examples.resolve("timers.yaml"), configs.resolve("timers-copy.yaml"));
        Files.copy(examples.resolve("timers.bpf.o"), configs.resolve("timers-copy.bpf.o"));
        Files.copy(examples.resolve("timers.yaml"), configs.resolve("broken.yaml"));
        Files.writeString(configs.resolve("broken.bpf.o"), "not an ELF object\n");
        return configs;
    }

    private static String names(Path configs) throws IOException {
        try (Stream<Path> files = Files.list(configs)) {
            return String.join(",", files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList());
        }
    }

    /** Starts {@code ./ebpf_exporter} on every config and waits until it serves. */
    private static Process launch(Path configs, int port, Path log) throws Exception {
        Path root = BpfAvailability.projectRoot();
        List<String> command = List.of(root.resolve("ebpf_exporter").toString(), "--config.dir=" + configs,
                "--config.names=" + names(configs), "--config.allow-failures",
                "--web.listen-address=127.0.0.1:" + port);
        Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Scrapes.firstMetrics(URI.create("http://127.0.0.1:" + port + "/metrics"), process::isAlive, log,
                Duration.ofSeconds(90));
        return process;
    }
}
