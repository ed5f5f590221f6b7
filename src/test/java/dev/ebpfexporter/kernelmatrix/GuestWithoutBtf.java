package dev.ebpfexporter.kernelmatrix;

import dev.ebpfexporter.btf.BtfChoice;
import dev.ebpfexporter.btf.BtfResolver;
import dev.ebpfexporter.btf.KernelBtf;
import dev.ebpfexporter.btf.RunningKernel;
import dev.ebpfexporter.cli.Main;
import dev.ebpfexporter.collector.ObjectLoader;
import dev.ebpfexporter.decoder.DecoderRegistry;
import dev.ebpfexporter.metrics.MetricOptions;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.BtfArchives;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs inside a guest kernel ({@link WithoutBtfKernelTest}): copies the kernel's BTF to a file and into an archive
 * directory ({@code <id>/<version>/<arch>/<release>.btf.tar.xz}), hides {@code /sys/kernel/btf} under a tmpfs,
 * and loads CO-RE configs whose programs attach without kernel BTF (raw_tp here; tp_btf and fentry cannot): without
 * {@code --btf.path} (one line per config, exit 1), with the archive directory and with the file (scraped over
 * HTTP from the exporter {@code Main} starts). Writes one {@link CellResult} line per case to
 * {@code <out>/results.tsv}; the host judges them.
 */
public final class GuestWithoutBtf {
    /** Both CO-RE (their raw_tp programs read {@code ctx->args} through vmlinux.h's relocatable types). */
    static final String CONFIGS = "read-latency,syscalls";
    private static final int READS = 200;

    private GuestWithoutBtf() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        List<CellResult> cells = new ArrayList<>();
        Path work = Files.createTempDirectory("without-btf");
        Path file = work.resolve("vmlinux.btf");
        Files.write(file, Files.readAllBytes(KernelBtf.SYSFS)); // sysfs: read, not copied by range
        RunningKernel kernel = RunningKernel.current();
        Path archive = work.resolve("archive");
        Path packed = BtfArchives.archiveFor(kernel, archive, file);
        Path dir = work.resolve("configs");
        Files.createDirectories(dir);
        for (String name : CONFIGS.split(",")) {
            Files.copy(BpfAvailability.examples().resolve(name + ".yaml"), dir.resolve(name + ".yaml"));
            Files.copy(BpfAvailability.examples().resolve(name + ".bpf.o"), dir.resolve(name + ".bpf.o"));
        }
        run("mount", "-t", "tmpfs", "-o", "size=1m", "none", "/sys/kernel/btf");
        System.out.println("without BTF: " + KernelBtf.SYSFS + " hidden: " + !Files.exists(KernelBtf.SYSFS)
                + "; copy " + Files.size(file) + " bytes, archive " + Files.size(packed) + " bytes at " + packed);
        cells.add(new CellResult("/sys/kernel/btf/vmlinux hidden", null, !Files.exists(KernelBtf.SYSFS),
                Files.exists(KernelBtf.SYSFS) ? "still there" : "a tmpfs over /sys/kernel/btf"));

        cells.add(withoutFlag(dir));
        cells.add(withArchiveDirectory(dir, archive, packed));
        // Last: the exporter Main starts serves until this JVM exits (its shutdown hook detaches).
        cells.add(withFile(dir, file));

        List<String> lines = cells.stream().map(CellResult::line).toList();
        lines.forEach(System.out::println);
        Files.writeString(out.resolve("results.tsv"), String.join("\n", lines) + "\n");
        Files.writeString(out.resolve("kernel.txt"), kernel.release() + "\n");
        System.exit(0);
    }

    /** No --btf.path: --config.check of each CO-RE config exits 1 with the line that says what to pass. */
    private static CellResult withoutFlag(Path dir) {
        List<String> details = new ArrayList<>();
        boolean ok = true;
        for (String config : CONFIGS.split(",")) {
            PrintStream original = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
            int code;
            try {
                code = exporter("--config.dir=" + dir, "--config.names=" + config, "--config.check");
            } finally {
                System.setErr(original);
            }
            List<String> lines = Arrays.stream(captured.toString(StandardCharsets.UTF_8).split("\n"))
                    .filter(l -> l.contains("level=error") && l.contains("config " + config + ": ")
                            && l.contains(KernelBtf.MISSING)).toList();
            ok &= code == 1 && !lines.isEmpty();
            details.add(config + ": exit " + code + ", " + (lines.isEmpty() ? "no line says what to pass" : lines.getFirst()));
        }
        return new CellResult("no --btf.path: --config.check", null, ok, String.join("; ", details));
    }

    /** --btf.path DIR: the running kernel's .btf.tar.xz is picked, extracted, loaded with, and removed. */
    private static CellResult withArchiveDirectory(Path dir, Path archive, Path packed) throws Exception {
        BtfChoice choice = new BtfChoice(BtfResolver.forSystem(Optional.of(archive)));
        ObjectLoader loader = new ObjectLoader(DecoderRegistry.forSystem()::create, Optional.empty(),
                MetricOptions.DEFAULT).usingBtf(choice);
        Path extracted;
        String counted;
        boolean moved;
        try (KernelBtf btf = choice.choose()) {
            extracted = btf.extracted().orElseThrow(() -> new AssertionError("nothing extracted from " + packed));
            try (InProcessExporter exporter = InProcessExporter.loadWithoutKernelBtf(loader, dir, CONFIGS.split(","))) {
                btf.close();
                if (!exporter.failures().isEmpty()) {
                    return new CellResult("--btf.path DIR (" + packed.getFileName() + ")", false, false,
                            String.join("; ", exporter.failures()));
                }
                Samples before = exporter.scrape();
                readFiles();
                Samples after = exporter.scrape();
                counted = counted(before, after);
                moved = moves(before, after);
            }
        }
        boolean removed = !Files.exists(extracted);
        return new CellResult("--btf.path DIR (" + packed.getFileName() + ")", true, moved && removed,
                counted + "; extracted file " + (removed ? "removed after the load" : "still there: " + extracted));
    }

    /** --btf.path FILE, as a user runs it: Main serves, /metrics is scraped before and after the reads. */
    private static CellResult withFile(Path dir, Path file) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String[] args = {"--config.dir=" + dir, "--config.names=" + CONFIGS, "--btf.path=" + file,
                "--web.listen-address=127.0.0.1:" + port};
        int[] exit = {-1};
        Thread server = Thread.ofPlatform().daemon().start(() -> exit[0] = exporter(args));
        HttpClient client = HttpClient.newHttpClient();
        URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        while (System.nanoTime() < deadline && server.isAlive()) {
            try {
                Samples before = scrape(client, metrics);
                readFiles();
                Samples after = scrape(client, metrics);
                return new CellResult("--btf.path FILE", true, moves(before, after), counted(before, after));
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        return new CellResult("--btf.path FILE", false, false,
                server.isAlive() ? "not serving after 240 s" : "exited with " + exit[0]);
    }

    private static Samples scrape(HttpClient client, URI metrics) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        return Samples.parse(response.body());
    }

    private static boolean moves(Samples before, Samples after) {
        return after.sum("ebpf_exporter_read_latency_seconds_count") - before.sum("ebpf_exporter_read_latency_seconds_count") >= READS
                && after.sum("ebpf_exporter_syscalls_total") - before.sum("ebpf_exporter_syscalls_total") >= READS;
    }

    private static String counted(Samples before, Samples after) {
        return "+%.0f reads in read_latency_seconds, +%.0f syscalls in syscalls_total after %d reads".formatted(
                after.sum("ebpf_exporter_read_latency_seconds_count") - before.sum("ebpf_exporter_read_latency_seconds_count"),
                after.sum("ebpf_exporter_syscalls_total") - before.sum("ebpf_exporter_syscalls_total"), READS);
    }

    /** {@code READS} read(2) calls of this process (each Files.readAllBytes of a small file reads at least once). */
    private static void readFiles() throws IOException {
        for (int i = 0; i < READS; i++) {
            Files.readAllBytes(Path.of("/proc/self/stat"));
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed");
        }
    }

    private static int exporter(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    /** Writes to both: the guest's output keeps the log, the capture is searched. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
