package dev.ebpfexporter.examples;

import dev.ebpfexporter.collector.LoadedConfig;
import dev.ebpfexporter.collector.ProgramState;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.KernelFeatures;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bundled example (with a .bpf.o) loaded into one exporter: all attach that the machine can attach (llc needs
 * a PMU, tcp-connect kprobes), and the scrape lints clean.
 */
class AllExamplesTogetherTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @Test
    void allExamplesAttachTogetherAndTheScrapePassesPromtool() throws Exception {
        String[] names = exampleNames();
        assertThat(names).hasSize(17).contains("timers", "llc", "oomkill", "uprobe", "tcp-connect", "fsync-latency");
        try (InProcessExporter exporter = InProcessExporter.loadedExamples(names)) {
            assertThat(exporter.configs()).extracting(LoadedConfig::name).containsExactlyInAnyOrder(names);
            for (LoadedConfig config : exporter.configs()) {
                for (ProgramState program : config.programs()) {
                    String what = config.name() + "/" + program.program().name() + " " + program.error().orElse("");
                    switch (config.name()) {
                        case "llc" -> assertThat(program.attached()).as(what).isEqualTo(KernelFeatures.hardwarePmu());
                        case "tcp-connect" -> assertThat(program.attached()).as(what).isEqualTo(KernelFeatures.kprobes());
                        // fentry or its kprobe fallback: FsyncLatencyTest says which attaches where.
                        case "fsync-latency" -> assertThat(program.attached() || program.error().isPresent()).as(what).isTrue();
                        default -> assertThat(program.attached()).as(what).isTrue();
                    }
                }
            }
            // Some activity for every kind of metric, then lint the exposition as Prometheus would see it.
            Workloads.tcpTraffic(20, 100);
            Workloads.execLoop("/bin/true", 2);
            try (Workloads.ScratchFile file = Workloads.scratchFile("all")) {
                Workloads.directWrite(file.path(), 4096, 4);
            }
            String text = exporter.scrapeText();
            assertThat(text).contains("ebpf_exporter_syscalls_total", "ebpf_exporter_bio_latency_seconds_bucket");
            // The reference declares this counter without _total; promtool's linter says so, nothing else.
            assertThat(promtoolCheckMetrics(text)).containsExactly(
                    "ebpf_exporter_ebpf_program_run_time_seconds counter metrics should have \"_total\" suffix");
        }
    }

    private static String[] exampleNames() throws IOException {
        try (Stream<Path> files = Files.list(BpfAvailability.examples())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length()))
                    .filter(n -> Files.exists(BpfAvailability.examples().resolve(n + ".bpf.o")))
                    .sorted().toArray(String[]::new);
        }
    }

    /**
     * {@code promtool check metrics} with the exposition on stdin; returns its lint complaints (exit
     * 3), empty when clean; a parse error (any other exit) fails.
     */
    private static List<String> promtoolCheckMetrics(String text) throws Exception {
        dev.ebpfexporter.testing.TestTools.require("promtool", "prometheus");
        Process process = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        try (OutputStream in = process.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            Workloads.kill(process);
            throw new AssertionError("promtool did not finish");
        }
        String out = output.get(10, TimeUnit.SECONDS);
        List<String> problems = out.lines().filter(l -> !l.isBlank()).toList();
        assertThat(process.exitValue()).as("promtool exit status; output:\n%s", out).isIn(0, 3);
        return problems;
    }
}
