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
 * machine and scraped, by the two {@code podman run} commands of docs/deploy.md as written there:
 * privileged, and as the DaemonSet's securityContext asks (not privileged, all capabilities dropped
 * but the BPF ones, read-only root), each with the host PID namespace and tracefs and bpffs mounted.
 * What the test changes is what docs/deploy.md says to change: a unique name, a free port, the
 * version, and {@code --runtime runc} on a host with the hybrid cgroup layout.
 */
@Tag("image")
class ImageIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Path DEPLOY_DOC = Path.of("docs/deploy.md");

    /** podman with what this host needs: crun refuses hybrid cgroup v1/v2 hosts (runc runs there), as docs/deploy.md says. */
    private static List<String> podman() {
        List<String> command = new ArrayList<>(List.of("podman"));
        if (hybridCgroups()) {
            command.addAll(List.of("--runtime", "runc"));
        }
        return command;
    }

    private static boolean hybridCgroups() {
        return Files.isDirectory(Path.of("/sys/fs/cgroup/unified"));
    }

    private static String version() {
        return System.getProperty("project.version", "0.1.0-SNAPSHOT");
    }

    @Test
    void privilegedContainerServesTheDefaultExamples() throws Exception {
        serves(documented("--privileged"), "privileged");
    }

    @Test
    void containerWithTheDaemonSetsSecurityContextServesTheDefaultExamples() throws Exception {
        String command = documented("--cap-drop=all");
        assertThat(command).doesNotContain("--privileged")
                .contains("--cap-add=bpf,perfmon,sys_resource,syslog", "--read-only", "-v /sys/fs/cgroup:/sys/fs/cgroup:ro");
        serves(command, "daemonset");
    }

    /** The one {@code podman run} block of docs/deploy.md that contains {@code marker}, continuation lines joined. */
    static String documented(String marker) throws IOException {
        List<String> commands = new ArrayList<>();
        StringBuilder block = null;
        for (String line : Files.readAllLines(BpfAvailability.projectRoot().resolve(DEPLOY_DOC))) {
            if (line.equals("```sh")) {
                block = new StringBuilder();
            } else if (line.equals("```") && block != null) {
                String command = block.toString().replaceAll("\\\\\n\\s*", " ").strip();
                if (command.startsWith("podman run ") && command.contains(marker)) {
                    commands.add(command);
                }
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        assertThat(commands).as("podman run blocks of %s with %s", DEPLOY_DOC, marker).hasSize(1);
        return commands.getFirst();
    }

    private static void serves(String documented, String what) throws Exception {
        BpfAvailability.require();
        TestTools.require("podman", "podman");
        int port = Ports.free();
        String name = "ebpf-exporter-it-" + what + "-" + ProcessHandle.current().pid();
        assertThat(documented).contains("--name ebpf_exporter ", "localhost/ebpf_exporter:<version> ",
                "--ulimit nofile=4096:4096 --ulimit nproc=4096:4096");
        String command = documented.replace("--name ebpf_exporter ", "--name " + name + " ")
                .replace("<version>", version())
                .replaceFirst("^podman ", hybridCgroups() ? "podman --runtime runc " : "podman ")
                + " --web.listen-address=127.0.0.1:" + port;
        System.out.println("ImageIT: " + what + ": " + command);
        Path log = Files.createTempFile("ebpf-exporter-image", ".log");
        long started = System.nanoTime();
        assertThat(exec(List.of("sh", "-c", command), log)).as(Files.readString(log)).isZero();
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
            String before = Files.readString(log);
            exec(inspect, log);
            System.out.println("ImageIT: " + what + ": first scrape " + millis + " ms after podman run");
            assertThat(Files.readString(log).substring(before.length()).strip()).as("exit code after SIGTERM")
                    .isEqualTo("0");
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
