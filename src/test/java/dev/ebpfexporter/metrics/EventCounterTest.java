package dev.ebpfexporter.metrics;

import dev.ebpfexporter.config.CounterConfig;
import dev.ebpfexporter.config.DecoderConfig;
import dev.ebpfexporter.config.Source;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

class EventCounterTest {
    private static CounterConfig config(Duration flush) {
        return new CounterConfig("oom_kills_total", "oom_kills_total", "help", List.of(
                Fixtures.label("command", 4, 0, DecoderConfig.named("string"))), true, flush,
                new Source(Path.of("test.yaml"), 2));
    }

    @Test
    void eachEventAddsOneToTheSeriesOfItsDecodedKeyIgnoringTrailingPadding() throws Exception {
        LongAdder errors = new LongAdder();
        EventCounter counter = EventCounter.bind(config(Duration.ZERO), Fixtures.DECODERS, errors, 100);
        counter.onEvent(new byte[]{'a', 'b', 0, 0, 9, 9, 9, 9}); // 4-byte key + perf padding
        counter.onEvent(new byte[]{'a', 'b', 0, 0});
        counter.onEvent(new byte[]{'c', 0, 0, 0});
        counter.onEvent(new byte[]{'c'}); // shorter than the key: an error, not a series
        String text = Fixtures.text(counter.collect());
        assertThat(text).contains("ebpf_exporter_oom_kills_total{command=\"ab\"} 2",
                "ebpf_exporter_oom_kills_total{command=\"c\"} 1");
        assertThat(errors.sum()).isEqualTo(1);
    }

    @Test
    void flushIntervalStartsTheSeriesSetOverAfterEachInterval() throws Exception {
        EventCounter counter = EventCounter.bind(config(Duration.ofMillis(1)), Fixtures.DECODERS, new LongAdder(), 100);
        counter.onEvent(new byte[]{'a', 0, 0, 0});
        Thread.sleep(5);
        assertThat(Fixtures.text(counter.collect())).as("the interval's counts are exported once")
                .contains("{command=\"a\"} 1");
        assertThat(Fixtures.text(counter.collect())).as("then the set starts over").doesNotContain("command=");
    }

    @Test
    void withoutFlushIntervalTheSetStartsOverEveryHourAsInTheReference() throws Exception {
        for (Duration unset : new Duration[]{null, Duration.ZERO}) {
            AtomicLong now = new AtomicLong(1_000);
            EventCounter counter = EventCounter.bind(config(unset), Fixtures.DECODERS, new LongAdder(), 100, now::get);
            counter.onEvent(new byte[]{'a', 0, 0, 0});
            now.addAndGet(Duration.ofMinutes(59).toNanos());
            counter.collect();
            assertThat(Fixtures.text(counter.collect())).as("within the hour (%s)", unset).contains("{command=\"a\"} 1");
            now.addAndGet(Duration.ofMinutes(1).toNanos());
            assertThat(Fixtures.text(counter.collect())).as("the hour's counts are exported once").contains("{command=\"a\"} 1");
            assertThat(Fixtures.text(counter.collect())).as("then the set starts over").doesNotContain("command=");
        }
    }
}
