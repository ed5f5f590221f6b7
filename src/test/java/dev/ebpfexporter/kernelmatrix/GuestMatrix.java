package dev.ebpfexporter.kernelmatrix;

import dev.ebpfexporter.cli.Main;
import dev.ebpfexporter.collector.LoadedConfig;
import dev.ebpfexporter.collector.ProgramState;
import dev.ebpfexporter.compat.TestPrograms;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import picocli.CommandLine;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs inside the guest kernel (scripts/kernel-vm.sh, started by {@link KernelMatrixTest}): loads one
 * config per way of attaching and every bundled example at once, triggers every attach kind,
 * scrapes, and writes one line per cell ({@link CellResult}) to {@code <out>/results.tsv}; then runs
 * each example's own test in the guest ({@link GuestTests}: its workload makes the example's metric
 * move), and {@code --config.check} and {@code --config.strict} the way a user runs them. Beside the
 * cells, {@code <out>/facts.tsv} says what this kernel and machine offer that some cells need
 * ({@link GuestFacts}). It judges nothing: the host compares the lines with what the kernel's build
 * config and those facts say it supports.
 */
public final class GuestMatrix {
    private static final int TRIGGERS = 20;
    /** The configs of the attach-kind cells; every bundled example (GuestTests.EXAMPLES) loads beside them. */
    private static final List<String> TEST_CONFIGS = List.of("attach", "kernel_functions");

    static final String KERNEL_FUNCTIONS_YAML = TestPrograms.countedByKind("kernel_function_hits_total",
            "Hits by way of tracing a kernel function", "kprobe", "kretprobe", "fentry", "fexit", "kprobe.multi", "lsm");

    private GuestMatrix() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Files.writeString(out.resolve("kernel.txt"), Files.readString(Path.of("/proc/sys/kernel/osrelease")));
        Files.writeString(out.resolve("facts.tsv"), GuestFacts.read().lines());
        List<CellResult> cells = new ArrayList<>();
        Path dir = Files.createTempDirectory("kernel-matrix");
        TestPrograms.config(dir, "attach", "attach", TestPrograms.ATTACH_YAML);
        TestPrograms.config(dir, "kernel_functions", "kernel_functions", KERNEL_FUNCTIONS_YAML);
        TestPrograms.config(dir, "missing", "missing_function", TestPrograms.MISSING_FUNCTION_YAML);
        for (String example : GuestTests.EXAMPLES.keySet()) {
            for (String suffix : List.of(".yaml", ".bpf.o")) {
                Path file = BpfAvailability.examples().resolve(example + suffix);
                if (Files.exists(file)) {
                    Files.copy(file, dir.resolve(file.getFileName()));
                }
            }
        }
        List<String> configs = new ArrayList<>(TEST_CONFIGS);
        configs.addAll(GuestTests.EXAMPLES.keySet());
        String names = String.join(",", configs);

        long started = System.nanoTime();
        System.out.println("kernel matrix: loading " + names);
        Map<String, CellResult> exampleStates = new LinkedHashMap<>();
        try (InProcessExporter exporter = InProcessExporter.load(dir, configs.toArray(String[]::new))) {
            long loadMs = (System.nanoTime() - started) / 1_000_000;
            Samples before = exporter.scrape();
            TestPrograms.runTarget(TRIGGERS);
            Workloads.tcpConnects(TRIGGERS); // loopback packets for xdp
            Workloads.createAndDelete(TRIGGERS);
            Thread.sleep(500);
            Samples after = exporter.scrape();
            System.out.println("loaded " + configs.size() + " configs in " + loadMs + " ms; failures: " + exporter.failures());

            String attachHits = "ebpf_exporter_attach_hits_total";
            cells.add(byKind(exporter, before, after, "attach", "on_tp", attachHits, "tp", 1));
            cells.add(byKind(exporter, before, after, "attach", "on_raw_tp", attachHits, "raw_tp", 1));
            cells.add(byKind(exporter, before, after, "attach", "on_tp_btf", attachHits, "tp_btf", 1));
            cells.add(byKind(exporter, before, after, "attach", "on_uprobe", attachHits, "uprobe", TRIGGERS));
            cells.add(byKind(exporter, before, after, "attach", "on_uretprobe", attachHits, "uretprobe", TRIGGERS));
            cells.add(byKind(exporter, before, after, "attach", "on_usdt", attachHits, "usdt", TRIGGERS));
            cells.add(byKind(exporter, before, after, "attach", "on_xdp", attachHits, "xdp", 1));
            String functionHits = "ebpf_exporter_kernel_function_hits_total";
            cells.add(byKind(exporter, before, after, "kernel_functions", "on_kprobe", functionHits, "kprobe", TRIGGERS));
            cells.add(byKind(exporter, before, after, "kernel_functions", "on_kretprobe", functionHits, "kretprobe", TRIGGERS));
            cells.add(byKind(exporter, before, after, "kernel_functions", "on_fentry", functionHits, "fentry", TRIGGERS));
            cells.add(byKind(exporter, before, after, "kernel_functions", "on_fexit", functionHits, "fexit", TRIGGERS));
            cells.add(byKind(exporter, before, after, "kernel_functions", "on_kprobe_multi", functionHits,
                    "kprobe.multi", TRIGGERS));
            cells.add(byKind(exporter, before, after, "kernel_functions", "on_lsm", functionHits, "lsm", TRIGGERS));
            String lookups = "ebpf_exporter_dcache_lookups_total";
            cells.add(cell("bcc kprobe__", programs(exporter, "dcstat", "kprobe__d_lookup"),
                    after.increaseSince(before, lookups, "event", "lookup"), TRIGGERS));
            cells.add(cell("bcc kretprobe__", programs(exporter, "dcstat", "kretprobe__d_lookup"),
                    after.increaseSince(before, lookups, "event", "miss"), TRIGGERS));
            for (String example : GuestTests.EXAMPLES.keySet()) {
                exampleStates.put(example, exampleAttached(exporter, example));
            }
        }

        System.out.println("kernel matrix: the tests that must hold on any kernel: " + GuestTests.CLASSES);
        GuestTests.Results tests = GuestTests.run();
        GuestTests.COMPAT.forEach(test -> cells.add(tests.classCell(test)));
        GuestTests.EXAMPLES.keySet().forEach(example -> cells.add(
                exampleCell(exampleStates.get(example), tests.exampleCell(example))));
        System.out.println("kernel matrix: --config.check and --config.strict");
        cells.add(check(dir));
        cells.add(strictRefusesMissingFunction(dir));
        // Last: the exporter started by Main serves until this JVM exits (its shutdown hook detaches).
        cells.add(strictServesWhenAllAttach(dir));

        List<String> lines = cells.stream().map(CellResult::line).toList();
        lines.forEach(System.out::println);
        Files.writeString(out.resolve("results.tsv"), String.join("\n", lines) + "\n");
        System.exit(0);
    }

    /**
     * Whether every program of the example attached in the load of everything at once (one of a
     * fentry/kprobe pair will do: {@link LoadedConfig#missed()}); else why not, in the exporter's words.
     */
    private static CellResult exampleAttached(InProcessExporter exporter, String example) {
        String cell = "example " + example;
        Optional<LoadedConfig> loaded = exporter.configs().stream().filter(c -> c.name().equals(example)).findFirst();
        if (loaded.isEmpty()) {
            String failure = exporter.failures().stream().filter(f -> f.startsWith("config " + example + ":"))
                    .findFirst().orElse("config " + example + " not loaded");
            return new CellResult(cell, false, false, failure.lines().findFirst().orElse(""));
        }
        List<ProgramState> missed = loaded.get().missed();
        // The first program's reason; the others of an example usually fail alike (llc's two events).
        String errors = missed.stream().findFirst().map(p -> p.program().name() + ": " + p.error().orElse("?")
                + (missed.size() > 1 ? " (and " + (missed.size() - 1) + " more not attached)" : "")).orElse("");
        return new CellResult(cell, missed.isEmpty(), false, errors);
    }

    /** An example's cell: attached with everything else, and moved when its own test passed in the guest. */
    private static CellResult exampleCell(CellResult attached, CellResult test) {
        String testDetail = test.cell().substring("test ".length()) + " " + test.detail();
        String detail = attached.attached() ? testDetail : attached.detail() + "; " + testDetail;
        return new CellResult(attached.cell(), attached.attached(), test.moved(), detail);
    }

    private static CellResult byKind(InProcessExporter exporter, Samples before, Samples after, String config,
                                     String program, String metric, String kind, int expected) {
        return cell(kind, programs(exporter, config, program), after.increaseSince(before, metric, "kind", kind), expected);
    }

    /** Both programs' states, in order; a program missing from the config fails the cell. */
    private static List<ProgramState> programs(InProcessExporter exporter, String config, String... names) {
        Optional<LoadedConfig> loaded = exporter.configs().stream().filter(c -> c.name().equals(config)).findFirst();
        if (loaded.isEmpty()) {
            return List.of();
        }
        List<ProgramState> states = new ArrayList<>();
        for (String name : names) {
            loaded.get().programs().stream().filter(p -> p.program().name().equals(name)).findFirst().ifPresent(states::add);
        }
        return states.size() == names.length ? states : List.of();
    }

    private static CellResult cell(String name, List<ProgramState> programs, double increase, int expected) {
        if (programs.isEmpty()) {
            return new CellResult(name, false, false, "config or program not loaded");
        }
        String errors = programs.stream().filter(p -> !p.attached())
                .map(p -> p.program().name() + ": " + p.error().orElse("?")).collect(Collectors.joining("; "));
        boolean attached = errors.isEmpty();
        boolean moved = increase >= expected;
        String detail = attached ? "+%.0f after %d triggers".formatted(increase, expected) : errors;
        return new CellResult(name, attached, moved, detail);
    }

    /** --config.check with configs that load on any kernel with kprobes (a user's check must say valid). */
    private static CellResult check(Path dir) {
        int code = exporter("--config.dir=" + dir, "--config.names=attach,kernel_functions,tcp-connect,fsync-latency,dcstat",
                "--config.check");
        return new CellResult("--config.check", null, code == 0, "exit " + code + (code == 0 ? " (valid)" : " (expected 0)"));
    }

    private static CellResult strictRefusesMissingFunction(Path dir) {
        int code = exporter("--config.dir=" + dir, "--config.names=missing", "--config.strict",
                "--web.listen-address=127.0.0.1:0");
        return new CellResult("--config.strict, a kprobe that cannot attach", null, code == 1,
                "exit " + code + (code == 1 ? "" : " (expected 1)"));
    }

    /**
     * --config.strict with configs that all attach on any kernel with kprobes (the kprobe examples and
     * two latency examples; not the attach kinds, whose usdt needs 5.15): the exporter must serve.
     */
    private static CellResult strictServesWhenAllAttach(Path dir) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String[] args = {"--config.dir=" + dir, "--config.names=tcp-connect,dcstat,runqlat,read-latency", "--config.strict",
                "--web.listen-address=127.0.0.1:" + port};
        int[] exit = {-1};
        Thread server = Thread.ofPlatform().daemon().start(() -> exit[0] = exporter(args));
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline && server.isAlive()) {
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                boolean served = response.statusCode() == 200
                        && response.body().contains("ebpf_exporter_tcp_connect_attempts_total");
                return new CellResult("--config.strict, every program attached", null, served,
                        "HTTP " + response.statusCode() + " on /metrics");
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        return new CellResult("--config.strict, every program attached", null, false,
                server.isAlive() ? "not serving after 180 s" : "exited with " + exit[0]);
    }

    private static int exporter(String... args) {
        return new CommandLine(new Main()).execute(args);
    }
}
