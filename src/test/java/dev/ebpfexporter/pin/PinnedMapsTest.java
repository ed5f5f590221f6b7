package dev.ebpfexporter.pin;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ebpfexporter.bpf.PinnedMap;
import dev.ebpfexporter.collector.ObjectLoader;
import dev.ebpfexporter.compat.TestPrograms;
import dev.ebpfexporter.decoder.DecoderRegistry;
import dev.ebpfexporter.metrics.MetricOptions;
import dev.ebpfexporter.testing.BpfFs;
import dev.ebpfexporter.testing.InProcessExporter;
import dev.ebpfexporter.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Metric maps pinned with {@code --bpf.pin-path}, against the real kernel: a second load of a config (a
 * restarted exporter) goes on counting into the maps the first one pinned; a map defined differently is
 * replaced, with one log line; maps that only the program uses are not pinned.
 */
@Timeout(120)
class PinnedMapsTest {
    static final String YAML = TestPrograms.switches("pinned", "Scheduler switches");
    private static final String COUNTER = "ebpf_exporter_pinned_switches_total";
    private static final String GAPS = "ebpf_exporter_pinned_switch_gap_seconds_count";
    /** Far more than a fresh map counts in the time a load takes, so a reset cannot pass for a continuation. */
    private static final double MANY = 20_000;

    @Test
    void aSecondLoadContinuesTheCountsAndHistogramsOfTheFirst(@TempDir Path dir) throws Exception {
        try (BpfFs fs = BpfFs.mount(); Switches ignored = Switches.start()) {
            PinDirectory pins = PinDirectory.open(fs.root().resolve("exporter"));
            TestPrograms.config(dir, "pinned", "pinned", YAML);
            Samples last;
            try (InProcessExporter first = InProcessExporter.load(loader(pins), dir, "pinned")) {
                assertThat(first.failures()).isEmpty();
                last = first.scrapeUntil(Duration.ofSeconds(60), s -> s.sum(COUNTER) >= MANY && s.sum(GAPS) >= MANY);
                assertThat(last.sum(COUNTER)).isGreaterThanOrEqualTo(MANY);
            }
            Path config = pins.root().resolve("pinned");
            assertThat(list(config)).as("metric maps only: not the per-CPU time of the last switch")
                    .containsExactly("pinned_switch_gap_seconds", "pinned_switches_total");
            int counterMap;
            try (PinnedMap pinned = PinnedMap.open(config.resolve("pinned_switches_total"))) {
                counterMap = pinned.id();
            }

            try (InProcessExporter second = InProcessExporter.load(loader(pins), dir, "pinned")) {
                assertThat(second.failures()).isEmpty();
                Samples first = second.scrape();
                assertThat(first.sum(COUNTER)).as("the counter continues").isGreaterThanOrEqualTo(last.sum(COUNTER));
                assertThat(first.sum(GAPS)).as("the histogram continues").isGreaterThanOrEqualTo(last.sum(GAPS));
                assertThat(first.value("ebpf_exporter_pinned_switch_gap_seconds_bucket", "le", "+Inf"))
                        .isGreaterThanOrEqualTo(last.value("ebpf_exporter_pinned_switch_gap_seconds_bucket", "le", "+Inf"));
                assertThat(second.configs().getFirst().object().map("pinned_switches_total").orElseThrow().fd())
                        .isPositive();
                try (PinnedMap pinned = PinnedMap.open(config.resolve("pinned_switches_total"))) {
                    assertThat(pinned.id()).as("the same kernel map").isEqualTo(counterMap);
                }
                second.scrapeUntilGrown(first, 1, COUNTER);
            }
        }
    }

    @Test
    void aMapDefinedDifferentlyIsReplacedWithOneLogLine(@TempDir Path dir) throws Exception {
        try (BpfFs fs = BpfFs.mount()) {
            PinDirectory pins = PinDirectory.open(fs.root().resolve("exporter"));
            TestPrograms.config(dir, "pinned", "pinned", YAML);
            Samples last;
            // Switches at a high rate for the first load only: the second one's fresh map then counts few.
            try (Switches ignored = Switches.start();
                 InProcessExporter first = InProcessExporter.load(loader(pins), dir, "pinned")) {
                last = first.scrapeUntil(Duration.ofSeconds(60), s -> s.sum(COUNTER) >= MANY);
            }
            Path counterPin = pins.root().resolve("pinned/pinned_switches_total");
            int before;
            try (PinnedMap pinned = PinnedMap.open(counterPin)) {
                before = pinned.id();
                assertThat(pinned.definition().maxEntries()).isEqualTo(1);
            }

            TestPrograms.config(dir, "pinned", "pinned_wide", YAML); // the counter's map now has 2 entries
            List<String> logged;
            Samples fresh;
            ListAppender<ILoggingEvent> appender = capture();
            try (InProcessExporter second = InProcessExporter.load(loader(pins), dir, "pinned")) {
                fresh = second.scrape();
                logged = appender.list.stream().filter(e -> e.getLevel().toString().equals("WARN"))
                        .map(ILoggingEvent::getFormattedMessage).toList();
            } finally {
                release(appender);
            }
            assertThat(logged).containsExactly("config pinned: map pinned_switches_total: the pinned map is array, key 4 B,"
                    + " value 8 B, 1 entries, flags 0x0, the object defines array, key 4 B, value 8 B, 2 entries, flags 0x0:"
                    + " replaced, its values start from zero");
            assertThat(fresh.sum(COUNTER)).as("a new map starts from zero").isLessThan(last.sum(COUNTER));
            assertThat(fresh.sum(GAPS)).as("the histogram's map did not change: it continues")
                    .isGreaterThanOrEqualTo(last.sum(GAPS));
            try (PinnedMap pinned = PinnedMap.open(counterPin)) {
                assertThat(pinned.id()).isNotEqualTo(before);
                assertThat(pinned.definition().maxEntries()).isEqualTo(2);
            }
        }
    }

    @Test
    void aConfigThatFailsToLoadLeavesThePinsAsTheyWere(@TempDir Path dir) throws Exception {
        try (BpfFs fs = BpfFs.mount()) {
            PinDirectory pins = PinDirectory.open(fs.root().resolve("exporter"));
            TestPrograms.config(dir, "pinned", "pinned", YAML);
            try (InProcessExporter first = InProcessExporter.load(loader(pins), dir, "pinned")) {
                assertThat(first.failures()).isEmpty();
            }
            Path counterPin = pins.root().resolve("pinned/pinned_switches_total");
            int before;
            try (PinnedMap pinned = PinnedMap.open(counterPin)) {
                before = pinned.id();
            }
            // The wide object, with a label the key has no room for: fails after the object is opened.
            TestPrograms.config(dir, "pinned", "pinned_wide", YAML.replace("help: Scheduler switches", """
                    help: Scheduler switches
                          labels:
                            - name: kind
                              size: 8
                              decoders:
                                - name: uint"""));
            try (InProcessExporter second = InProcessExporter.load(loader(pins), dir, "pinned")) {
                assertThat(second.failures()).singleElement().asString().contains("key");
            }
            try (PinnedMap pinned = PinnedMap.open(counterPin)) {
                assertThat(pinned.id()).as("the pin still holds the first map").isEqualTo(before);
                assertThat(pinned.definition().maxEntries()).isEqualTo(1);
            }
        }
    }

    static ObjectLoader loader(PinDirectory pins) {
        return new ObjectLoader(DecoderRegistry.forSystem()::create, Optional.empty(), MetricOptions.DEFAULT)
                .pinningIn(pins);
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(ConfigPins.class)).addAppender(appender);
        return appender;
    }

    private static void release(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(ConfigPins.class)).detachAppender(appender);
    }

    /** A thread that sleeps for a microsecond over and over: scheduler switches at a high rate. */
    static final class Switches implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        private Switches() {
            thread = Thread.ofPlatform().daemon().name("switches").start(() -> {
                while (running.get()) {
                    LockSupport.parkNanos(1_000);
                }
            });
        }

        static Switches start() {
            return new Switches();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }
}
