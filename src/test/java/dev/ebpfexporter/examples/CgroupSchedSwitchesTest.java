package dev.ebpfexporter.examples;

import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Workloads;
import dev.ebpfexporter.testing.Workloads.Cgroup;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** cgroup: a shell sleeping in a fresh cgroup v2 is switched out, counted under the cgroup's path. */
class CgroupSchedSwitchesTest {
    private static final String NAME = "ebpf_exporter_cgroup_sched_switches_total";

    @Test
    void switchesAreCountedUnderTheCgroupPath() {
        try (InProcessExporter exporter = InProcessExporter.loadedExamples("cgroup");
             Cgroup cgroup = Workloads.cgroup2("sched")) {
            String path = cgroup.path().toString();
            Samples before = exporter.scrape();

            cgroup.run("for i in 1 2 3 4 5; do sleep 0.01; done").requireSuccess();

            // Scrape before the cgroup is removed: a removed cgroup's id no longer resolves to a path.
            exporter.scrapeUntilGrown(before, 5, NAME, "cgroup", path);
        }
    }
}
