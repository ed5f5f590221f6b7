package dev.ebpfexporter.bpf.link;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PerfEventSectionTest {
    private static final long FLAG_FREQ = 1L << 10;

    @Test
    void frequencySetsSampleFreqAndTheFreqFlag() throws Exception {
        PerfEventSection s = PerfEventSection.parse("perf_event/type=0,config=3,frequency=99");
        assertThat(s).isEqualTo(new PerfEventSection(0, 3, 99, 0));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = PerfEventAttacher.attr(arena, s);
            assertThat(attr.get(JAVA_INT, 0)).isEqualTo(0);
            assertThat(attr.get(JAVA_LONG, 8)).isEqualTo(3);
            assertThat(attr.get(JAVA_LONG, 16)).isEqualTo(99);
            assertThat(attr.get(JAVA_LONG, 40) & FLAG_FREQ).isEqualTo(FLAG_FREQ);
        }
    }

    @Test
    void periodSetsSamplePeriodWithoutTheFreqFlag() throws Exception {
        // What a v1 config's perf_events entry with sample_period becomes (cpu-clock, every 10 ms of CPU time).
        PerfEventSection s = PerfEventSection.parse("perf_event/type=1,config=0,period=10000000");
        assertThat(s).isEqualTo(new PerfEventSection(1, 0, 0, 10_000_000));
        assertThat(s.eventName()).isEqualTo("software event 0 (cpu-clock)");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = PerfEventAttacher.attr(arena, s);
            assertThat(attr.get(JAVA_INT, 0)).isEqualTo(1);
            assertThat(attr.get(JAVA_INT, 4)).isEqualTo(128);
            assertThat(attr.get(JAVA_LONG, 16)).isEqualTo(10_000_000);
            assertThat(attr.get(JAVA_LONG, 40) & FLAG_FREQ).isZero();
        }
    }

    @Test
    void neitherSamplesEveryEvent() throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = PerfEventAttacher.attr(arena, PerfEventSection.parse("perf_event/type=1,config=0"));
            assertThat(attr.get(JAVA_LONG, 16)).isEqualTo(1);
            assertThat(attr.get(JAVA_LONG, 40) & FLAG_FREQ).isZero();
        }
    }

    @Test
    void badSectionsAreRejected() {
        assertThatThrownBy(() -> PerfEventSection.parse("perf_event/type=1,config=0,frequency=99,period=5"))
                .hasMessageContaining("frequency and period are exclusive");
        assertThatThrownBy(() -> PerfEventSection.parse("perf_event/type=1,periodx=5"))
                .hasMessageContaining("unknown perf_event item \"periodx=5\"");
        assertThatThrownBy(() -> PerfEventSection.parse("perf_event/type=1,period=ten"))
                .hasMessageContaining("is not an integer");
    }
}
