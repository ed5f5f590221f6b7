package dev.ebpfexporter;

import dev.ebpfexporter.testing.MappedLibbpf;
import dev.ebpfexporter.testing.Ports;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.DistTarball;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Scrapes;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The distribution tarball (built by the dist profile: scripts/dist.sh) unpacked into a temp dir and
 * run as on a machine with no JDK and no source tree: in a mount namespace where /usr/lib/jvm, the
 * source trees (/work, the project root) and the Maven repository are empty, with an empty
 * environment (no PATH, no JAVA_HOME). Prints start-to-first-scrape and RSS of the distribution
 * (with and without its AOT cache) and of the source launcher, as docs/deploy.md quotes them.
 */
@Tag("dist")
class DistIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Test
    void tarballRunsWithNoJdkNoSourceTreeAndAnEmptyEnvironment() throws Exception {
        BpfAvailability.require();
        Path tarball = DistTarball.find();
        Path unpacked = Files.createTempDirectory(Path.of("/tmp"), "ebpf-exporter-dist-");
        try {
            Path home = DistTarball.unpack(tarball, unpacked);
            // The runtime holds exactly the JDK modules jdeps found, nothing more.
            List<String> wanted = Arrays.asList(Files.readString(home.resolve("runtime/MODULES")).strip().split(","));
            Process list = new ProcessBuilder(home.resolve("runtime/bin/java").toString(), "--list-modules").start();
            List<String> modules = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(line -> line.replaceAll("@.*", "")).toList();
            assertThat(list.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(modules).contains(wanted.toArray(String[]::new)).doesNotContain("jdk.compiler", "java.scripting", "jdk.jshell");

            // AOTMode=on makes the JVM refuse to start when the AOT cache cannot be used: at the
            // install prefix it must be used. Unpacked elsewhere the exporter runs without it.
            Measured withAot = start(hidden(home, true, "-XX:AOTMode=on"), home, Path.of("/opt/ebpf_exporter/lib"),
                    "dist at /opt/ebpf_exporter (AOT cache)");
            Measured elsewhere = start(hidden(home, false, "-XX:AOTMode=auto"), home, home.resolve("lib").toRealPath(),
                    "dist elsewhere (no AOT cache)");
            postAttachMarkRunsFromTheTarball(home, unpacked);
            Path root = BpfAvailability.projectRoot();
            Measured source = start(List.of(root.resolve("ebpf_exporter").toString()), root,
                    root.resolve("target/native").toRealPath(), "source launcher");
            System.out.printf("DistIT: tarball %d KiB, unpacked %s; %s; %s; %s%n", Files.size(tarball) / 1024,
                    du(home), withAot, elsewhere, source);
        } finally {
            run(List.of("rm", "-rf", unpacked.toString()));
        }
    }

    /**
     * The dist launcher inside a mount namespace that hides every JDK and source tree and the host's libbpf and
     * libelf (/dev/null over them), with env -i; at /opt/ebpf_exporter (bind-mounted there, where the AOT cache
     * was made for) or where unpacked.
     */
    private static List<String> hidden(Path home, boolean atPrefix, String javaOpts) {
        String install = atPrefix
                ? "mount -t tmpfs none /opt; mkdir /opt/ebpf_exporter; mount --bind \"$0\" /opt/ebpf_exporter; "
                        + "launcher=/opt/ebpf_exporter/bin/ebpf_exporter; "
                : "launcher=\"$0/bin/ebpf_exporter\"; ";
        String hide = "set -e; " + install + "for d in /usr/lib/jvm /work " + BpfAvailability.projectRoot()
                + " /root/.m2; do if [ -d \"$d\" ]; then mount -t tmpfs none \"$d\"; fi; done; "
                + "for f in /usr/lib/*/libbpf.so* /usr/lib/*/libelf.so* /usr/lib/*/libelf-*.so; do "
                + "if [ -f \"$f\" ]; then mount --bind /dev/null \"$f\"; fi; done; "
                + "exec env -i JAVA_OPTS=" + javaOpts + " \"$launcher\" \"$@\"";
        return new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", hide, home.toString()));
    }

    /**
     * The tarball ships the post_attach_mark library (lib/): a test program on
     * uprobe//proc/self/exe:post_attach_mark has run once by the first scrape, with no source tree around.
     */
    private static void postAttachMarkRunsFromTheTarball(Path home, Path scratch) throws Exception {
        assertThat(home.resolve("lib/libpost_attach_mark.so")).isRegularFile();
        Path configs = Files.createDirectory(scratch.resolve("mark-configs"));
        Files.copy(BpfAvailability.projectRoot().resolve("src/test/bpf/post_attach_mark.bpf.o"), configs.resolve("mark.bpf.o"));
        Files.writeString(configs.resolve("mark.yaml"), dev.ebpfexporter.compat.TestPrograms.POST_ATTACH_MARK_YAML);
        int port = Ports.free();
        Path log = Files.createTempFile("ebpf-exporter-dist", ".log");
        List<String> command = hidden(home, false, "-XX:AOTMode=auto");
        command.addAll(List.of("--config.dir=" + configs, "--config.names=mark", "--web.listen-address=127.0.0.1:" + port));
        Process exporter = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Samples samples = Samples.parse(Scrapes.firstMetrics(URI.create("http://127.0.0.1:" + port + "/metrics"),
                    exporter::isAlive, log, TIMEOUT));
            assertThat(samples.sum("ebpf_exporter_post_attach_marks_total")).as(Files.readString(log)).isEqualTo(1.0);
        } finally {
            exporter.destroy();
            if (!exporter.waitFor(20, TimeUnit.SECONDS)) {
                exporter.destroyForcibly();
            }
            Files.deleteIfExists(log);
        }
    }

    private record Measured(String what, long startMillis, long rssKib) {
        @Override
        public String toString() {
            return what + ": first scrape after " + startMillis + " ms, RSS " + rssKib / 1024 + " MiB 5 s later";
        }
    }

    /** Starts {@code launcher} on home's default examples; its libbpf must be mapped from {@code nativeDir}. */
    private static Measured start(List<String> launcher, Path home, Path nativeDir, String what) throws Exception {
        int port = Ports.free();
        Path log = Files.createTempFile("ebpf-exporter-dist", ".log");
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("--config.dir=" + home.resolve("examples"), "--config.names=timers,biolatency",
                "--web.listen-address=127.0.0.1:" + port));
        long started = System.nanoTime();
        Process exporter = new ProcessBuilder(command).directory(Path.of("/").toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String metrics = Scrapes.firstMetrics(URI.create("http://127.0.0.1:" + port + "/metrics"),
                    exporter::isAlive, log, TIMEOUT);
            long millis = (System.nanoTime() - started) / 1_000_000;
            Samples samples = Samples.parse(metrics);
            assertThat(samples.named("ebpf_exporter_enabled_configs")).extracting(s -> s.label("name"))
                    .as(what).containsExactlyInAnyOrder("timers", "biolatency");
            assertThat(samples.named("ebpf_exporter_ebpf_program_attached")).isNotEmpty()
                    .allSatisfy(s -> assertThat(s.value()).isEqualTo(1.0));
            assertThat(samples.named("ebpf_exporter_build_info")).singleElement()
                    .satisfies(s -> assertThat(s.label("java_version")).startsWith("25"))
                    .satisfies(s -> assertThat(s.label("libbpf_version")).as(what).isEqualTo("1.5"));
            MappedLibbpf.assertOurs(Path.of("/proc", Long.toString(exporter.pid()), "maps"), nativeDir);
            Thread.sleep(5000);
            long rss = Scrapes.rssKib(exporter.pid());
            exporter.destroy();
            assertThat(exporter.waitFor(20, TimeUnit.SECONDS)).as(what + " exits after SIGTERM").isTrue();
            assertThat(exporter.exitValue()).as(what + " exit status after SIGTERM").isEqualTo(0);
            return new Measured(what, millis, rss);
        } finally {
            exporter.destroyForcibly();
            exporter.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(log);
        }
    }

    private static String du(Path dir) throws Exception {
        Process du = new ProcessBuilder("du", "-sh", dir.toString()).start();
        String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        du.waitFor(30, TimeUnit.SECONDS);
        return out.split("\\s")[0];
    }

    private static int run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return process.exitValue();
    }

}
