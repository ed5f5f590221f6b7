package dev.ebpfexporter.collector;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Which programs of a config stand in for each other: fentry/F with kprobe/F, fexit/F with kretprobe/F. */
class FallbacksTest {
    private static final List<String> FSYNC = List.of("fentry/vfs_fsync_range", "fexit/vfs_fsync_range",
            "kprobe/vfs_fsync_range", "kretprobe/vfs_fsync_range");

    @Test
    void entryPairsWithEntryAndExitWithExitOnTheSameFunctionOnly() {
        assertThat(Fallbacks.standsIn("fentry/vfs_fsync_range", "kprobe/vfs_fsync_range")).isTrue();
        assertThat(Fallbacks.standsIn("fexit/vfs_fsync_range", "kretprobe/vfs_fsync_range")).isTrue();
        assertThat(Fallbacks.standsIn("fentry/vfs_fsync_range", "kretprobe/vfs_fsync_range")).isFalse();
        assertThat(Fallbacks.standsIn("fentry/vfs_fsync_range", "kprobe/vfs_fsync")).isFalse();
        assertThat(Fallbacks.standsIn("kprobe/vfs_fsync_range", "fentry/vfs_fsync_range")).isFalse();
        assertThat(Fallbacks.standsIn("fentry/", "kprobe/")).isFalse();
        assertThat(Fallbacks.standsIn("tp/sched/sched_switch", "kprobe/sched/sched_switch")).isFalse();
    }

    @Test
    void eachProgramOfTheFsyncExampleHasExactlyItsCounterpart() {
        Function<String, String> section = Function.identity();
        assertThat(Fallbacks.of(FSYNC.get(0), FSYNC, section)).containsExactly("kprobe/vfs_fsync_range");
        assertThat(Fallbacks.of(FSYNC.get(1), FSYNC, section)).containsExactly("kretprobe/vfs_fsync_range");
        assertThat(Fallbacks.of(FSYNC.get(2), FSYNC, section)).containsExactly("fentry/vfs_fsync_range");
        assertThat(Fallbacks.of(FSYNC.get(3), FSYNC, section)).containsExactly("fexit/vfs_fsync_range");
        assertThat(Fallbacks.of("kprobe/tcp_v4_connect", List.of("kprobe/tcp_v4_connect", "kprobe/tcp_v6_connect"),
                section)).isEmpty();
        assertThat(Fallbacks.standInSection("fentry/vfs_fsync_range", FSYNC)).isEqualTo(Optional.of("kprobe/vfs_fsync_range"));
        assertThat(Fallbacks.standInSection("kprobe/vfs_fsync_range", FSYNC)).isEmpty();
    }
}
