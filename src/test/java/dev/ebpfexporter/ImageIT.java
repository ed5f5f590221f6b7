package dev.ebpfexporter;

import dev.ebpfexporter.testing.Ports;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.DefaultExamples;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Scrapes;
import dev.ebpfexporter.testing.TestTools;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The container image (built by the image profile: scripts/image.sh) run with podman on this
 * machine and scraped: once privileged, as the simplest docs/deploy.md command, and once as the
 * DaemonSet's securityContext asks (not privileged, all capabilities dropped but the BPF ones,
 * read-only root), each with the host PID namespace and tracefs and bpffs mounted.
 */
@Tag("image")
class ImageIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /**
     * Options this machine needs whatever the image: crun refuses hybrid cgroup v1/v2 hosts (runc
     * runs there), and podman's default rlimits are above what a process without
     * CAP_SYS_RESOURCE (as in this project's sandbox) may set.
     */
    private static List<String> podman() {
        List<String> command = new ArrayList<>(List.of("podman"));
        if (Files.isDirectory(Path.of("/sys/fs/cgroup/unified"))) {
            command.addAll(List.of("--runtime", "runc"));
        }
        return command;
    }

    private static String image() {
        return "localhost/ebpf_exporter:" + System.getProperty("project.version", "0.1.0-SNAPSHOT");
    }

    @Test
    void privilegedContainerServesTheDefaultExamples() throws Exception {
        serves(List.of("--privileged"), "privileged");
    }

    @Test
    void containerWithTheDaemonSetsSecurityContextServesTheDefaultExamples() throws Exception {
        serves(List.of("--cap-drop=all", "--cap-add=bpf,perfmon,sys_resource,syslog",
                "--security-opt", "no-new-privileges", "--security-opt", "seccomp=unconfined",
                "--security-opt", "apparmor=unconfined", "--read-only", "--tmpfs", "/tmp",
                "-v", "/sys/fs/cgroup:/sys/fs/cgroup:ro"), "daemonset");
    }

    private static void serves(List<String> security, String what) throws Exception {
        BpfAvailability.require();
        TestTools.require("podman", "podman");
        int port = Ports.free();
        String name = "ebpf-exporter-it-" + what + "-" + ProcessHandle.current().pid();
        List<String> run = podman();
        run.addAll(List.of("run", "-d", "--name", name, "--pid=host", "--network=host",
                "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096",
                "-v", "/sys/kernel/tracing:/sys/kernel/tracing", "-v", "/sys/fs/bpf:/sys/fs/bpf"));
        run.addAll(security);
        run.addAll(List.of(image(), "--config.dir=/opt/ebpf_exporter/examples", "--config.names=timers,biolatency",
                "--web.listen-address=127.0.0.1:" + port));
        Path log = Files.createTempFile("ebpf-exporter-image", ".log");
        long started = System.nanoTime();
        assertThat(exec(run, log)).as(Files.readString(log)).isZero();
        try {
            String metrics = Scrapes.firstMetrics(URI.create("http://127.0.0.1:" + port + "/metrics"),
                    () -> running(name), log, TIMEOUT);
            long millis = (System.nanoTime() - started) / 1_000_000;
            Samples samples = Samples.parse(metrics);
            DefaultExamples.assertServed(samples);
            List<String> stop = podman();
            stop.addAll(List.of("stop", "-t", "30", name));
            assertThat(exec(stop, log)).isZero();
            List<String> inspect = podman();
            inspect.addAll(List.of("inspect", "--format", "{{.State.ExitCode}}", name));
            exec(inspect, log);
            System.out.println("ImageIT: " + what + ": first scrape " + millis + " ms after podman run");
            assertThat(Files.readString(log)).as("exit code after SIGTERM").contains("143");
        } finally {
            List<String> logs = podman();
            logs.addAll(List.of("logs", name));
            Path containerLog = Files.createTempFile("ebpf-exporter-image", ".log");
            exec(logs, containerLog);
            System.out.println("ImageIT: " + what + " container log:\n" + Files.readString(containerLog));
            List<String> rm = podman();
            rm.addAll(List.of("rm", "-f", "-t", "5", name));
            exec(rm, containerLog);
            Files.deleteIfExists(containerLog);
            Files.deleteIfExists(log);
        }
    }

    private static boolean running(String name) {
        try {
            List<String> inspect = podman();
            inspect.addAll(List.of("inspect", "--format", "{{.State.Running}}", name));
            Process process = new ProcessBuilder(inspect).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return process.waitFor(30, TimeUnit.SECONDS) && out.strip().equals("true");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static int exec(List<String> command, Path log) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return process.exitValue();
    }

}
