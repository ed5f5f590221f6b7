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
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs inside the guest kernel (scripts/kernel-vm.sh, started by {@link KernelMatrixTest}): loads one
 * config per way of attaching at once, triggers every one, scrapes, and writes one line per cell
 * ({@link CellResult}) to {@code <out>/results.tsv}; then {@code --config.check} and
 * {@code --config.strict} the way a user runs them. It judges nothing: the host compares the lines
 * with what the kernel's build config says it supports.
 */
public final class GuestMatrix {
    private static final int TRIGGERS = 20;
    private static final String CONFIGS = "attach,kernel_functions,tcp-connect,fsync-latency,dcstat";

    static final String KERNEL_FUNCTIONS_YAML = TestPrograms.countedByKind("kernel_function_hits_total",
            "Hits by way of tracing a kernel function", "kprobe", "kretprobe", "fentry", "fexit", "kprobe.multi", "lsm");

    private GuestMatrix() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        List<CellResult> cells = new ArrayList<>();
        Path dir = Files.createTempDirectory("kernel-matrix");
        TestPrograms.config(dir, "attach", "attach", TestPrograms.ATTACH_YAML);
        TestPrograms.config(dir, "kernel_functions", "kernel_functions", KERNEL_FUNCTIONS_YAML);
        TestPrograms.config(dir, "missing", "missing_function", TestPrograms.MISSING_FUNCTION_YAML);
        for (String file : List.of("tcp-connect.yaml", "tcp-connect.bpf.o", "fsync-latency.yaml",
                "fsync-latency.bpf.o", "dcstat.yaml")) {
            Files.copy(BpfAvailability.examples().resolve(file), dir.resolve(file));
        }

        long started = System.nanoTime();
        System.out.println("kernel matrix: loading " + CONFIGS);
        try (InProcessExporter exporter = InProcessExporter.load(dir, CONFIGS.split(","))) {
            long loadMs = (System.nanoTime() - started) / 1_000_000;
            Samples before = exporter.scrape();
            TestPrograms.runTarget(TRIGGERS);
            Workloads.tcpConnects(TRIGGERS);
            Workloads.createAndDelete(TRIGGERS);
            Workloads.fsyncLoop(TRIGGERS);
            Thread.sleep(500);
            Samples after = exporter.scrape();
            System.out.println("loaded " + CONFIGS + " in " + loadMs + " ms; failures: " + exporter.failures());

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
            cells.add(cell("example tcp-connect", programs(exporter, "tcp-connect", "tcp_v4_connect", "tcp_v6_connect"),
                    after.increaseSince(before, "ebpf_exporter_tcp_connect_attempts_total", "family", "ipv4"), TRIGGERS));
            cells.add(fsyncLatency(exporter, before, after));
        }

        System.out.println("kernel matrix: the tests that must hold on any kernel: " + GuestTests.CLASSES);
        cells.addAll(GuestTests.run());
        System.out.println("kernel matrix: --config.check and --config.strict");
        cells.add(check(dir));
        cells.add(strictRefusesMissingFunction(dir));
        // Last: the exporter started by Main serves until this JVM exits (its shutdown hook detaches).
        cells.add(strictServesWhenAllAttach(dir));

        List<String> lines = cells.stream().map(CellResult::line).toList();
        lines.forEach(System.out::println);
        Files.writeString(out.resolve("results.tsv"), String.join("\n", lines) + "\n");
        Files.writeString(out.resolve("kernel.txt"), Files.readString(Path.of("/proc/sys/kernel/osrelease")));
        System.exit(0);
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

    /** The fentry pair where the kernel allows it, else the kprobe pair: one of the two must count every fsync. */
    private static CellResult fsyncLatency(InProcessExporter exporter, Samples before, Samples after) {
        double increase = after.increaseSince(before, "ebpf_exporter_fsync_latency_seconds_count");
        List<ProgramState> fentry = programs(exporter, "fsync-latency", "fsync_fentry", "fsync_fexit");
        List<ProgramState> kprobe = programs(exporter, "fsync-latency", "fsync_kprobe", "fsync_kretprobe");
        boolean fentryAttached = !fentry.isEmpty() && fentry.stream().allMatch(ProgramState::attached);
        boolean kprobeAttached = !kprobe.isEmpty() && kprobe.stream().allMatch(ProgramState::attached);
        if (!fentryAttached && !kprobeAttached) {
            return cell("example fsync-latency", kprobe, increase, TRIGGERS);
        }
        // Never twice: at most the guest's own background fsyncs on top of ours.
        boolean moved = increase >= TRIGGERS && increase < 2 * TRIGGERS;
        return new CellResult("example fsync-latency", true, moved, "+%.0f after %d fsyncs, counted by the %s pair"
                .formatted(increase, TRIGGERS, fentryAttached ? "fentry/fexit" : "kprobe/kretprobe"));
    }

    private static CellResult check(Path dir) {
        int code = exporter("--config.dir=" + dir, "--config.names=" + CONFIGS, "--config.check");
        return new CellResult("--config.check", null, code == 0, "exit " + code + (code == 0 ? " (valid)" : " (expected 0)"));
    }

    private static CellResult strictRefusesMissingFunction(Path dir) {
        int code = exporter("--config.dir=" + dir, "--config.names=missing", "--config.strict",
                "--web.listen-address=127.0.0.1:0");
        return new CellResult("--config.strict, a kprobe that cannot attach", null, code == 1,
                "exit " + code + (code == 1 ? "" : " (expected 1)"));
    }

    /** --config.strict with configs that all attach on a kernel with kprobes: the exporter must serve. */
    private static CellResult strictServesWhenAllAttach(Path dir) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String[] args = {"--config.dir=" + dir, "--config.names=attach,tcp-connect,dcstat", "--config.strict",
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
