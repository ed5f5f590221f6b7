package dev.ebpfexporter.compat;

import dev.ebpfexporter.testing.Attachment;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.KernelFeatures;
import dev.ebpfexporter.testing.PrivateNetns;
import dev.ebpfexporter.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every attach kind libbpf (and the exporter) attaches by section name, firing for real. */
class AttachKindsTest {
    /**
     * Loads and makes loopback traffic in a network namespace of the test's own, whose {@code lo}
     * nothing else can have an XDP program on.
     */
    @Test
    void tracepointsUprobesUsdtAndXdpAllAttachAndFire(@TempDir Path dir) throws Exception {
        Path configDir = TestPrograms.config(dir, "attach", "attach", TestPrograms.ATTACH_YAML);
        try (PrivateNetns netns = PrivateNetns.create();
             InProcessExporter exporter = netns.call(() -> InProcessExporter.load(configDir, "attach"))) {
            assertThat(exporter.failures()).isEmpty();
            Samples before = exporter.scrape();
            boolean cookies = KernelFeatures.bpfCookies();
            var usdt = exporter.configs().getFirst().programs().stream()
                    .filter(p -> p.program().name().equals("on_usdt")).findFirst().orElseThrow();
            if (!cookies) {
                // Before 5.15: libbpf attaches USDT in a PIE (the target) only with a PID, and says so.
                Attachment.assertNotAttachedBecause(usdt, "without specific PID is not supported on current kernel");
            }
            assertThat(before.named("ebpf_exporter_ebpf_program_attached")).hasSize(7)
                    .allSatisfy(s -> assertThat(s.value()).as("attached{id=%s}", s.label("id"))
                            .isEqualTo(!cookies && s.label("id").equals(Integer.toString(usdt.id())) ? 0.0 : 1.0));
            TestPrograms.runTarget(3);
            netns.call(() -> {
                loopbackTraffic();
                return null;
            });
            Samples after = exporter.scrape();
            Map<String, Double> hits = new java.util.HashMap<>();
            after.named("ebpf_exporter_attach_hits_total").forEach(s -> hits.put(s.label("kind"), s.value()));
            assertThat(hits).containsEntry("uprobe", 3.0).containsEntry("uretprobe", 3.0);
            assertThat(hits.getOrDefault("usdt", 0.0)).isEqualTo(cookies ? 3.0 : 0.0);
            assertThat(hits.get("tp")).isGreaterThanOrEqualTo(1.0);
            assertThat(hits.get("raw_tp")).isGreaterThanOrEqualTo(1.0);
            assertThat(hits.get("tp_btf")).isGreaterThanOrEqualTo(1.0);
            assertThat(hits.get("xdp")).isGreaterThanOrEqualTo(1.0);
        }
    }

    static final String UNATTACHABLE_YAML = TestPrograms.counter("execs_total",
            "Execs seen by the tracepoint that does attach");

    @Test
    void programThatCannotAttachIsReportedAndTheOthersKeepWorking(@TempDir Path dir) {
        // A kprobe on a function no kernel has: it fails on every kernel, with or without kprobes.
        try (InProcessExporter exporter = TestPrograms.loaded(dir, "missing", "missing_function",
                TestPrograms.MISSING_FUNCTION_YAML)) {
            var kprobe = Attachment.program(exporter.configs().getFirst(), "on_missing_function");
            var tracepoint = Attachment.program(exporter.configs().getFirst(), "on_exec");
            assertThat(tracepoint.attached()).isTrue();
            assertThat(kprobe.attached()).isFalse();
            assertThat(kprobe.error().orElseThrow()).contains("on_missing_function")
                    .contains("kprobe/ebpf_exporter_no_such_function").doesNotContain("\n");
            TestPrograms.runTarget(1);
            Samples samples = exporter.scrape();
            assertThat(samples.named("ebpf_exporter_ebpf_program_attached",
                    s -> s.label("id").equals(Integer.toString(kprobe.id())))).singleElement()
                    .satisfies(s -> assertThat(s.value()).isEqualTo(0.0));
            assertThat(samples.named("ebpf_exporter_ebpf_program_attached",
                    s -> s.label("id").equals(Integer.toString(tracepoint.id())))).singleElement()
                    .satisfies(s -> assertThat(s.value()).isEqualTo(1.0));
            assertThat(samples.sum("ebpf_exporter_missing_function_execs_total")).isGreaterThanOrEqualTo(1.0);
        }
    }

    @Test
    void kprobeOnARealFunctionAttachesWhereKprobesExistAndSaysWhyWhereNot(@TempDir Path dir) {
        try (InProcessExporter exporter = TestPrograms.loaded(dir, "unattachable", "unattachable", UNATTACHABLE_YAML)) {
            var kprobe = Attachment.program(exporter.configs().getFirst(), "on_kprobe");
            if (KernelFeatures.kprobes()) {
                Attachment.assertAttached(kprobe);
            } else {
                Attachment.assertNotAttachedBecause(kprobe, Attachment.NO_KPROBES);
                assertThat(kprobe.error().orElseThrow()).contains("on_kprobe").contains("kprobe/do_nanosleep");
            }
        }
    }

    static final String FENTRY_YAML = TestPrograms.counter("fentry_execs_total",
            "Execs seen by the tracepoint beside an fentry program");

    @Test
    void fentryProgramThatTheKernelRefusesDoesNotStopTheTracepoint(@TempDir Path dir) {
        try (InProcessExporter exporter = TestPrograms.loaded(dir, "fentry", "fentry", FENTRY_YAML)) {
            var tracepoint = Attachment.program(exporter.configs().getFirst(), "on_exec");
            assertThat(tracepoint.attached()).isTrue();
            var fentry = Attachment.program(exporter.configs().getFirst(), "on_fentry");
            TestPrograms.runTarget(1);
            Samples samples = exporter.scrape();
            assertThat(samples.sum("ebpf_exporter_fentry_execs_total")).isGreaterThanOrEqualTo(1.0);
            if (!fentry.attached()) {
                assertThat(samples.named("ebpf_exporter_ebpf_program_info", s -> s.label("program").equals("on_fentry")))
                        .singleElement().satisfies(s -> assertThat(s.label("id")).isEqualTo("0"));
                assertThat(samples.named("ebpf_exporter_ebpf_program_attached", s -> s.label("id").equals("0")))
                        .singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(0.0));
            }
        }
    }

    /** Loopback TCP: packets received on lo pass through its (generic) XDP hook. */
    static void loopbackTraffic() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            OutputStream out = client.getOutputStream();
            InputStream in = accepted.getInputStream();
            out.write(new byte[64]);
            out.flush();
            in.readNBytes(64);
        }
    }
}
