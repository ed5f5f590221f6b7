package dev.ebpfexporter.exposition;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExpositionTest {
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ScrapeErrors.class);

    @BeforeEach
    void capture() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() {
        logger.detachAppender(log);
    }

    private static Samples counter(String name, double value) {
        return Samples.builder(name, "help", MetricType.COUNTER).add(value, "k", "v").build();
    }

    private static Histograms histogram(String name, LabelSet labels) {
        return new Histograms(new FamilyMetadata(name, "h", MetricType.HISTOGRAM), new LabelSet[]{labels}, 1,
                new double[]{1, Double.POSITIVE_INFINITY}, new long[]{1, 0}, new double[]{1});
    }

    private static String scrape(Exposition exposition, Format format) {
        ByteBuf out = new ByteBuf(16);
        exposition.write(format, name -> true, out);
        return out.toString();
    }

    @Test
    void aFailingFamilyIsLeftOutCountedAndLoggedOncePerCause() {
        Exposition exposition = new Exposition(() -> List.of(
                new ScrapePart("a", "good_total", () -> List.of(counter("ebpf_exporter_good_total", 1))),
                new ScrapePart("a", "huge", () -> {
                    throw new OutOfMemoryError("Java heap space");
                }),
                new ScrapePart("a", "reserved", () -> List.of(histogram("ebpf_exporter_reserved", LabelSet.of("le", "x")))),
                new ScrapePart("b", "good_total", () -> List.of(counter("ebpf_exporter_good_total", 2))),
                new ScrapePart("b", "other_total", () -> List.of(counter("ebpf_exporter_other_total", 3)))));
        for (int scrape = 1; scrape <= 3; scrape++) {
            for (Format format : Format.values()) {
                assertThat(scrape(exposition, format)).isNotEmpty();
            }
            String text = scrape(exposition, Format.TEXT);
            assertThat(text).contains("ebpf_exporter_good_total{k=\"v\"} 1\n", "ebpf_exporter_other_total{k=\"v\"} 3\n")
                    .as("the second config's family of the same name is left out")
                    .doesNotContain("ebpf_exporter_good_total{k=\"v\"} 2")
                    .doesNotContain("ebpf_exporter_reserved")
                    .contains("# TYPE ebpf_exporter_scrape_errors_total counter\n",
                            "ebpf_exporter_scrape_errors_total{config=\"a\",metric=\"huge\"} " + 4 * scrape + "\n",
                            "ebpf_exporter_scrape_errors_total{config=\"a\",metric=\"reserved\"} " + 4 * scrape + "\n",
                            "ebpf_exporter_scrape_errors_total{config=\"b\",metric=\"good_total\"} " + 4 * scrape + "\n");
        }
        assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactlyInAnyOrder(
                        "config a: metric huge: its families are left out of the scrape: java.lang.OutOfMemoryError: "
                                + "Java heap space (further failures of the same kind are counted in ebpf_exporter_scrape_errors_total)",
                        "config a: metric reserved: ebpf_exporter_reserved is left out of the scrape: ebpf_exporter_reserved: "
                                + "label name \"le\" is reserved in a histogram (further failures of the same kind are "
                                + "counted in ebpf_exporter_scrape_errors_total)",
                        "config b: metric good_total: ebpf_exporter_good_total is left out of the scrape: "
                                + "ebpf_exporter_good_total: another config or metric already exports a family of this name "
                                + "(further failures of the same kind are counted in ebpf_exporter_scrape_errors_total)");
    }

    @Test
    void everyScrapeFailureIsLoggedWithItsStackTraceAtDebug() {
        logger.setLevel(Level.DEBUG);
        try {
            Exposition exposition = new Exposition(() -> List.of(new ScrapePart("a", "huge", () -> {
                throw new OutOfMemoryError("Java heap space");
            })));
            scrape(exposition, Format.TEXT);
            scrape(exposition, Format.TEXT);
        } finally {
            logger.setLevel(null);
        }
        assertThat(log.list).filteredOn(e -> e.getLevel() == Level.DEBUG).hasSize(2).allSatisfy(e -> {
            assertThat(e.getFormattedMessage()).isEqualTo("config a: metric huge: its families are left out of the scrape: "
                    + "java.lang.OutOfMemoryError: Java heap space");
            assertThat(e.getThrowableProxy().getClassName()).isEqualTo("java.lang.OutOfMemoryError");
            assertThat(e.getThrowableProxy().getStackTraceElementProxyArray()).isNotEmpty();
        });
    }

    @Test
    void aFamilyThatFailsHalfWrittenIsCutBackOut() {
        Samples broken = new Samples(new FamilyMetadata("ebpf_exporter_broken_total", "", MetricType.COUNTER),
                new LabelSet[]{LabelSet.of("k", "1"), null}, new double[]{1, 2}, 2);
        Exposition exposition = new Exposition(() -> List.of(
                new ScrapePart("c", "broken", () -> List.of(broken)),
                new ScrapePart("c", "fine_total", () -> List.of(counter("ebpf_exporter_fine_total", 5)))));
        for (Format format : Format.values()) {
            ByteBuf out = new ByteBuf(16);
            exposition.write(format, name -> true, out);
            ByteBuf expected = new ByteBuf(16);
            format.write(List.of(counter("ebpf_exporter_fine_total", 5), exposition.errors().family()), expected);
            assertThat(out.toByteArray()).as(format.name()).isEqualTo(expected.toByteArray());
        }
        assertThat(exposition.errors().count("c", "broken")).isEqualTo(3);
    }

    @Test
    void nameFilterSelectsFamilies() {
        Exposition exposition = new Exposition(() -> List.of(
                new ScrapePart("a", "x", () -> List.of(counter("ebpf_exporter_x_total", 1), counter("ebpf_exporter_y_total", 2)))));
        ByteBuf out = new ByteBuf(16);
        exposition.write(Format.TEXT, "ebpf_exporter_y_total"::equals, out);
        assertThat(out.toString()).isEqualTo("""
                # HELP ebpf_exporter_y_total help
                # TYPE ebpf_exporter_y_total counter
                ebpf_exporter_y_total{k="v"} 2
                """);
    }
}
