package dev.ebpfexporter.cli;

import dev.ebpfexporter.compat.TestPrograms;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.KernelFeatures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up and exit as the reference's users depend on them: a config that fails to load exits 1
 * (strict or not), {@code --config.check} loads and attaches for real and detaches again, and
 * {@code --config.strict} adds programs that do not attach. Each run here would block serving if
 * startup went on, so the timeout is what fails the old keep-serving behaviour.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StartupExitTest {
    private static final String SURVIVOR_YAML = TestPrograms.counter("survivor_execs_total",
            "Execs seen by the one program the verifier accepts");
    private static final String NEVER_ATTACHES_YAML = TestPrograms.counter("attached_execs_total",
            "Execs seen by the tracepoint beside a uprobe that never attaches");

    record Run(int exitCode, String log) {
    }

    /** Runs the exporter in this JVM, with its log (stderr) captured. */
    static synchronized Run run(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args);
            return new Run(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    static Path config(Path dir, String name, String object, String yaml) throws IOException {
        Files.writeString(dir.resolve(name + ".yaml"), yaml);
        Files.copy(BpfAvailability.projectRoot().resolve("src/test/bpf/" + object + ".bpf.o"), dir.resolve(name + ".bpf.o"));
        return dir;
    }

    @Test
    void aConfigThatFailsToLoadExitsOneWithOrWithoutStrict(@TempDir Path dir) throws IOException {
        BpfAvailability.require();
        config(dir, "refused", "refused_two", SURVIVOR_YAML);
        Files.copy(BpfAvailability.examples().resolve("timers.bpf.o"), dir.resolve("nomap.bpf.o"));
        Files.writeString(dir.resolve("nomap.yaml"), SURVIVOR_YAML);
        Files.writeString(dir.resolve("badyaml.yaml"), "metrics: [\n");
        for (String name : List.of("missing", "badyaml", "nomap", "refused")) {
            for (String strict : List.of("--config.strict", "--no-config.strict")) {
                Run run = run("--config.dir=" + dir, "--config.names=" + name, strict, "--web.listen-address=127.0.0.1:0");
                assertThat(run.exitCode()).as("%s %s; log:\n%s", name, strict, run.log()).isEqualTo(1);
                assertThat(run.log()).contains("exiting");
            }
        }
        assertThat(run("--config.dir=" + dir, "--config.names=refused", "--config.check").log())
                .contains("programs refused by the kernel (config:program): refused:refused_first, refused:refused_second");
    }

    @Test
    void configCheckAttachesForRealAndStrictCountsProgramsThatDoNotAttach(@TempDir Path dir) throws IOException {
        BpfAvailability.require();
        config(dir, "never", "never_attaches", NEVER_ATTACHES_YAML);
        Run check = run("--config.dir=" + dir, "--config.names=never", "--config.check", "--log.level=debug");
        assertThat(check.exitCode()).as("log:\n%s", check.log()).isZero();
        assertThat(check.log()).contains("not attached", "on_missing", "config check successful");
        Run strict = run("--config.dir=" + dir, "--config.names=never", "--config.check", "--config.strict");
        assertThat(strict.exitCode()).as("log:\n%s", strict.log()).isEqualTo(1);
        assertThat(strict.log()).contains("--config.strict: missed attachments (config:program): never:on_missing");
    }

    @Test
    void unknownKeysWarnOneLineEachAndStartUnlessStrict(@TempDir Path dir) throws IOException {
        BpfAvailability.require();
        String timers = Files.readString(BpfAvailability.examples().resolve("timers.yaml"));
        Files.writeString(dir.resolve("timers.yaml"), "owner: team-x\n" + timers.replace("help:", "hepl: red\n      help:"));
        Files.copy(BpfAvailability.examples().resolve("timers.bpf.o"), dir.resolve("timers.bpf.o"));
        Path yaml = dir.resolve("timers.yaml");
        Run lenient = run("--config.dir=" + dir, "--config.names=timers", "--config.check", "--log.no-timestamps");
        assertThat(lenient.exitCode()).as("log:\n%s", lenient.log()).isZero();
        assertThat(lenient.log().lines().filter(l -> l.contains("unknown key")).toList()).containsExactly(
                "level=warn source=ConfigFiles msg=\"" + yaml + ":1: owner: unknown key \\\"owner\\\" ignored (expected one of: cgroup_id_map,"
                        + " kaddrs, metrics, name, tracing)\"",
                "level=warn source=ConfigFiles msg=\"" + yaml + ":5: metrics.counters[0].hepl: unknown key \\\"hepl\\\" ignored"
                        + " (did you mean \\\"help\\\"?)\"");
        Run strict = run("--config.dir=" + dir, "--config.names=timers", "--config.check", "--config.strict");
        assertThat(strict.exitCode()).as("log:\n%s", strict.log()).isEqualTo(1);
        assertThat(strict.log()).contains(yaml + ":1: owner: unknown key \\\"owner\\\" (expected one of:");
    }

    @Test
    void aRefusedProgramWithAStandInInItsConfigDoesNotStopTheStart() {
        BpfAvailability.require();
        // fsync-latency: fentry/fexit with a kprobe/kretprobe pair on the same function. Where the kernel
        // refuses fentry (this project's VMs), the refusal is a program that did not attach, not a failed start.
        Run check = run("--config.dir=" + BpfAvailability.examples(), "--config.names=fsync-latency", "--config.check");
        assertThat(check.exitCode()).as("log:\n%s", check.log()).isZero();
        assertThat(check.log()).doesNotContain("programs refused by the kernel");
        if (check.log().contains("refused by the kernel")) {
            assertThat(check.log()).contains("program fsync_fentry (fentry/vfs_fsync_range) refused by the kernel, loading"
                    + " the others without it; kprobe/vfs_fsync_range of the same config stands in for it");
        }
        if (!KernelFeatures.kprobes() && check.log().contains("refused by the kernel")) {
            // Neither pair can attach here: --config.strict names all four, as programs that did not attach.
            Run strict = run("--config.dir=" + BpfAvailability.examples(), "--config.names=fsync-latency",
                    "--config.check", "--config.strict");
            assertThat(strict.exitCode()).isEqualTo(1);
            assertThat(strict.log()).contains("--config.strict: missed attachments (config:program): fsync-latency:fsync_fentry,"
                    + " fsync-latency:fsync_fexit, fsync-latency:fsync_kprobe, fsync-latency:fsync_kretprobe");
        }
    }

    @Test
    void configCheckDetachesEverythingItAttached() throws Exception {
        BpfAvailability.require();
        Run check = run("--config.dir=" + BpfAvailability.examples(), "--config.names=timers,biolatency",
                "--config.check", "--log.level=debug");
        assertThat(check.exitCode()).as("log:\n%s", check.log()).isZero();
        List<Integer> ids = attachedIds(check.log());
        assertThat(ids).as("programs the check attached; log:\n%s", check.log()).hasSizeGreaterThanOrEqualTo(2);
        // Kernel program ids are not reused right away: a program still known by its id was leaked
        // (a link holds its program, so no program also means no link). The kernel frees a closed
        // link from a work queue, so its program may be seen for a moment after the check returns.
        for (int id : ids) {
            String shown = "";
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); System.nanoTime() < deadline; ) {
                shown = bpftoolShow(id);
                if (shown.isEmpty()) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(shown).as("program %d after the check", id).isEmpty();
        }
    }

    /** What {@code bpftool prog show id N} prints, or empty when there is no such program. */
    private static String bpftoolShow(int id) throws IOException, InterruptedException {
        Process bpftool = new ProcessBuilder("bpftool", "prog", "show", "id", Integer.toString(id))
                .redirectErrorStream(true).start();
        String out = new String(bpftool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return bpftool.waitFor() == 0 ? out : "";
    }

    private static List<Integer> attachedIds(String log) {
        Matcher m = Pattern.compile("attached program \\S+ \\([^)]*, id (\\d+)\\)").matcher(log);
        List<Integer> ids = new ArrayList<>();
        while (m.find()) {
            ids.add(Integer.parseInt(m.group(1)));
        }
        return ids;
    }
}
