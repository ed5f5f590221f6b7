package dev.ebpfexporter.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** After --runas.user every thread's status is read: a thread with a way back to privilege is named. */
class RunAsVerifyTest {
    private static final RunAs.Account NOBODY = new RunAs.Account("nobody", 65534, 65534);

    @TempDir
    Path tasks;

    private void task(int tid, String name, String capAmb, String noNewPrivs) throws Exception {
        Path dir = Files.createDirectory(tasks.resolve(Integer.toString(tid)));
        Files.writeString(dir.resolve("status"), String.join("\n", "Name:\t" + name,
                "Uid:\t65534\t65534\t65534\t65534", "Gid:\t65534\t65534\t65534\t65534", "CapInh:\t0000000000000000",
                "CapPrm:\t0000000000000000", "CapEff:\t0000000000000000", "CapBnd:\t000001ffffffffff",
                "CapAmb:\t" + capAmb, "NoNewPrivs:\t" + noNewPrivs, "Seccomp:\t2", ""));
    }

    @Test
    void everyThreadNeedsNoNewPrivsAndNoAmbientCapabilities() throws Exception {
        task(100, "java", "0000000000000000", "1");
        task(101, "GC Thread#0", "0000000000000000", "0");
        task(102, "C1 CompilerThre", "0000000000200000", "1");
        List<String> problems = new ArrayList<>();
        assertThat(RunAs.verify(NOBODY, tasks, problems)).isEqualTo(3);
        assertThat(problems).containsExactlyInAnyOrder("thread 101 (GC Thread#0) has NoNewPrivs: 0",
                "thread 102 (C1 CompilerThre) has CapAmb: 0000000000200000");
    }

    @Test
    void threadsWithNothingLeftPass() throws Exception {
        task(100, "java", "0000000000000000", "1");
        task(101, "events-oomkill", "0000000000000000", "1");
        List<String> problems = new ArrayList<>();
        assertThat(RunAs.verify(NOBODY, tasks, problems)).isEqualTo(2);
        assertThat(problems).isEmpty();
    }
}
