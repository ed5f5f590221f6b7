package dev.ebpfexporter.collector;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.exposition.Family;
import dev.ebpfexporter.exposition.Samples;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunStatisticsTest {
    private static final RunStatistics.Schedule FAST = new RunStatistics.Schedule(Duration.ofMillis(200), Duration.ofMillis(20));

    /** A stand-in for BPF_ENABLE_STATS: counts how often it was turned on and how many handles are open. */
    private static final class FakeSwitch implements RunStatistics.Switch {
        final AtomicInteger enabled = new AtomicInteger();
        final AtomicInteger open = new AtomicInteger();

        @Override
        public AutoCloseable on() {
            enabled.incrementAndGet();
            open.incrementAndGet();
            return open::decrementAndGet;
        }
    }

    @Test
    void offIsTheParsedDefaultAndOnlyThreeModesParse() {
        assertThat(StatsMode.parse("off")).isEqualTo(StatsMode.OFF);
        assertThat(StatsMode.parse("on")).isEqualTo(StatsMode.ON);
        assertThat(StatsMode.parse("sampled")).isEqualTo(StatsMode.SAMPLED);
        assertThatThrownBy(() -> StatsMode.parse("yes")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--bpf.stats: must be off, on or sampled, got \"yes\"");
    }

    @Test
    void offNeverTurnsTheStatisticsOnAndExportsNothingOfItsOwn() throws Exception {
        FakeSwitch kernel = new FakeSwitch();
        try (RunStatistics statistics = RunStatistics.start(StatsMode.OFF, FAST, kernel, List::of,
                LoggerFactory.getLogger(RunStatisticsTest.class))) {
            Thread.sleep(100);
            assertThat(statistics.part().collect().families()).isEmpty();
        }
        assertThat(kernel.enabled).hasValue(0);
    }

    @Test
    void onHoldsOneHandleForTheWholeRunAndClosesItAtTheEnd() {
        FakeSwitch kernel = new FakeSwitch();
        RunStatistics statistics = RunStatistics.start(StatsMode.ON, FAST, kernel, List::of,
                LoggerFactory.getLogger(RunStatisticsTest.class));
        assertThat(kernel.open).hasValue(1);
        statistics.close();
        assertThat(kernel.open).hasValue(0);
        assertThat(kernel.enabled).hasValue(1);
    }

    @Test
    void aWindowMeasuresWhatEachProgramRanWhileTheStatisticsWereOn() throws Exception {
        FakeSwitch kernel = new FakeSwitch();
        AtomicLong reads = new AtomicLong();
        // Program 7 runs 50 times at 200 ns between the two reads; program 9 not at all; program 11 appears mid-window.
        RunStatistics statistics = new RunStatistics(StatsMode.SAMPLED, FAST, kernel, () -> {
            long n = reads.getAndIncrement();
            assertThat(kernel.open).as("read while the statistics are on").hasValue(1);
            return n == 0
                    ? Map.of(7, new RunStatistics.Counts(1000, 100_000), 9, new RunStatistics.Counts(5, 500))
                    : Map.of(7, new RunStatistics.Counts(1050, 110_000), 9, new RunStatistics.Counts(5, 500),
                    11, new RunStatistics.Counts(3, 300));
        }, LoggerFactory.getLogger(RunStatisticsTest.class));
        RunStatistics.Window window = statistics.sampleOnce();
        assertThat(kernel.open).as("off again after the window").hasValue(0);
        assertThat(window.seconds()).isGreaterThanOrEqualTo(0.02);
        assertThat(window.delta()).containsOnlyKeys(7, 9)
                .containsEntry(7, new RunStatistics.Counts(50, 10_000))
                .containsEntry(9, new RunStatistics.Counts(0, 0));
    }

    @Test
    void sampledOpensAWindowAtStartAndExportsItsMeasurementsAsSuch() throws Exception {
        FakeSwitch kernel = new FakeSwitch();
        AtomicLong runs = new AtomicLong();
        RunStatistics statistics = new RunStatistics(StatsMode.SAMPLED, FAST, kernel, () -> {
            // 100 runs of 250 ns each time the counters are read
            long n = runs.addAndGet(100);
            return Map.of(3, new RunStatistics.Counts(n, n * 250));
        }, LoggerFactory.getLogger(RunStatisticsTest.class));
        try (RunStatistics started = RunStatistics.start(StatsMode.SAMPLED, FAST, kernel,
                List::of, LoggerFactory.getLogger(RunStatisticsTest.class))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (kernel.enabled.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(kernel.enabled).as("a window at start and another one interval later").hasValueGreaterThanOrEqualTo(2);
        }
        assertThat(kernel.open).as("closed after the last window").hasValue(0);

        RunStatistics.Window window = statistics.sampleOnce();
        List<Family> families = new ArrayList<>(statistics.part().collect().families());
        Samples perRun = (Samples) families.get(0);
        Samples rate = (Samples) families.get(1);
        assertThat(perRun.metadata().name()).isEqualTo("ebpf_exporter_ebpf_program_sampled_run_seconds");
        assertThat(perRun.value(0)).isEqualTo(250e-9, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(rate.metadata().name()).isEqualTo("ebpf_exporter_ebpf_program_sampled_runs_per_second");
        assertThat(rate.value(0)).isEqualTo(100 / window.seconds(), org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void aWindowThatCannotTurnTheStatisticsOnFailsWithTheCause() {
        RunStatistics.Switch refusing = () -> {
            throw new BpfException("bpf stats: enable run time statistics: Operation not permitted", 1);
        };
        RunStatistics statistics = new RunStatistics(StatsMode.SAMPLED, FAST, refusing, Map::of,
                LoggerFactory.getLogger(RunStatisticsTest.class));
        assertThatThrownBy(statistics::sampleOnce).isInstanceOf(BpfException.class).hasMessageContaining("not permitted");
    }
}
