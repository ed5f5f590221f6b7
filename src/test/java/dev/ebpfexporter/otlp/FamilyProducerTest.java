package dev.ebpfexporter.otlp;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ebpfexporter.exposition.Exposition;
import dev.ebpfexporter.exposition.MetricType;
import dev.ebpfexporter.exposition.Samples;
import dev.ebpfexporter.exposition.ScrapeErrors;
import dev.ebpfexporter.exposition.ScrapePart;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A push's parts fail on their own, as a scrape's do, and count in the same error family. */
class FamilyProducerTest {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.000000006Z");

    private static Samples counter(String name, double value) {
        return Samples.builder(name, "help", MetricType.COUNTER).add(value, "k", "v").build();
    }

    @Test
    void failingPartAndDuplicateFamilyAreLeftOutAndCountedTheRestIsPushed() {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(ScrapeErrors.class);
        log.start();
        logger.addAppender(log);
        ScrapeErrors errors = new ScrapeErrors();
        List<ScrapePart> parts = List.of(
                new ScrapePart("a", "good", () -> List.of(counter("x_total", 1))),
                new ScrapePart("a", "broken", () -> {
                    throw new IllegalStateException("map gone");
                }),
                new ScrapePart("b", "same_name", () -> List.of(counter("x_total", 2), counter("y_total", 3))),
                new ScrapePart("b", "empty", () -> List.of(Samples.builder("z", "h", MetricType.GAUGE).build())));
        FamilyProducer producer = new FamilyProducer(new Exposition(() -> parts, errors), InstrumentationScopeInfo.create("s"),
                17, Clock.fixed(NOW, ZoneOffset.UTC));
        List<MetricData> pushed = List.copyOf(producer.produce(Resource.empty()));
        assertThat(pushed).extracting(MetricData::getName)
                .containsExactly("x_total", "y_total", "ebpf_exporter_scrape_errors_total");
        assertThat(pushed.get(0).getDoubleSumData().getPoints().iterator().next().getValue()).isEqualTo(1);
        assertThat(pushed.get(0).getDoubleSumData().getPoints().iterator().next().getStartEpochNanos()).isEqualTo(17);
        assertThat(pushed.get(0).getDoubleSumData().getPoints().iterator().next().getEpochNanos())
                .isEqualTo(1767323045_000000006L);
        assertThat(errors.count("a", "broken")).isEqualTo(1);
        assertThat(errors.count("b", "same_name")).isEqualTo(1);
        assertThat(errors.count("a", "good")).isZero();
        assertThat(pushed.get(2).getDoubleSumData().getPoints()).hasSize(2);
        logger.detachAppender(log);
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).contains(
                "config a: metric broken: its families are left out of the OTLP push: java.lang.IllegalStateException: "
                        + "map gone (further failures of the same kind are counted in ebpf_exporter_scrape_errors_total)");
    }
}
