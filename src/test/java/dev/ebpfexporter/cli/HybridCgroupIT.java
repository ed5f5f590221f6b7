package dev.ebpfexporter.cli;

import dev.ebpfexporter.compat.TestPrograms;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.Scrapes;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host whose cgroup v2 hierarchy is not where systemd puts it: in a private mount namespace,
 * /sys/fs/cgroup is a tmpfs of v1-style directories (as on a hybrid host) and cgroup2 is mounted
 * at a scratch path. The exporter must find the hierarchy there from mountinfo, for the
 * {@code cgroup} decoder and for {@code cgroup_id_map}, instead of failing or reporting unknown ids.
 */
class HybridCgroupIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void cgroupDecoderAndCgroupIdMapResolveIdsInACgroup2MountedElsewhere() throws Exception {
        BpfAvailability.require();
        Path mountPoint = Files.createTempDirectory("ebpf-exporter-cgroup2-");
        try (Workloads.Cgroup cgroup = Workloads.cgroup2("hybrid")) {
            String name = cgroup.path().getFileName().toString();
            TestPrograms.config(dir, "cgroup_ids", "cgroup_ids", TestPrograms.cgroupPaths("^.*/" + name + "$", ""));
            List<String> hybrid = List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                    "mount -t cgroup2 none \"$CGROUP2\" && mount -t tmpfs none /sys/fs/cgroup"
                            + " && mkdir /sys/fs/cgroup/cpu /sys/fs/cgroup/memory && exec \"$0\" \"$@\"");
            int port = Ports.free();
            try (Launcher launcher = Launcher.start(hybrid, List.of("--config.dir=" + dir,
                    "--config.names=cgroup_ids", "--web.listen-address=127.0.0.1:" + port),
                    Map.of("CGROUP2", mountPoint.toString()))) {
                launcher.awaitLog("listening on", Duration.ofSeconds(120));
                assertThat(launcher.log()).contains("1 cgroups under " + mountPoint + " match");

                assertThat(cgroup.run("exec true").exitCode()).isZero();
                String expected = "ebpf_exporter_matched_execs_total{cgroup=\"" + mountPoint.resolve(name) + "\"} 1";
                String metrics = "";
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!metrics.contains(expected) && System.nanoTime() < deadline) {
                    metrics = Scrapes.metrics(port);
                    Thread.sleep(100);
                }
                assertThat(metrics).contains(expected).doesNotContain("unknown_cgroup_id");
            }
        } finally {
            Files.deleteIfExists(mountPoint);
        }
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).as("the namespace's mounts stayed in it")
                .doesNotContain(mountPoint.toString());
    }
}
