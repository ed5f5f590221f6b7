package dev.ebpfexporter.metrics;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ebpfexporter.config.DecoderConfig;
import dev.ebpfexporter.config.LabelConfig;
import dev.ebpfexporter.config.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import static dev.ebpfexporter.metrics.Fixtures.DECODERS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data that would be wrong without a word is said once in the log: a regexp decoder that has dropped every key
 * (the metric vanished), and values that decode to bytes that are not text ({@code string} on a number).
 */
class SilentWrongDataTest {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger(DroppedKeys.class),
            (Logger) LoggerFactory.getLogger(LabelChain.class));

    @BeforeEach
    void capture() {
        appender.start();
        loggers.forEach(logger -> logger.addAppender(appender));
    }

    @AfterEach
    void release() {
        loggers.forEach(logger -> logger.detachAppender(appender));
    }

    private List<String> warnings() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static LabelConfig label(String name, int size, int line, DecoderConfig... decoders) {
        return new LabelConfig(name, size, 0, List.of(decoders), new Source(Path.of("t.yaml"), line));
    }

    private static DecoderConfig named(String name, String... regexps) {
        return new DecoderConfig(name, Map.of(), List.of(regexps), false, Source.NONE);
    }

    private static KeyDecoder decoder(LabelConfig... labels) throws Exception {
        List<LabelChain> chains = new ArrayList<>();
        for (LabelConfig label : labels) {
            chains.add(LabelChain.of(label, DECODERS));
        }
        return new KeyDecoder(KeyLayout.of(List.of(labels)), chains, false, new LongAdder());
    }

    private static byte[] comm(String text) {
        return java.util.Arrays.copyOf(text.getBytes(StandardCharsets.US_ASCII), 16);
    }

    /** One scrape of {@code keys}; returns how many were kept. */
    private static int scrape(KeyDecoder decoder, byte[]... keys) {
        long scrape = decoder.nextGeneration();
        int kept = 0;
        for (byte[] key : keys) {
            kept += decoder.decode(key, 0, scrape) == null ? 0 : 1;
        }
        decoder.evictUnseen(scrape, keys.length);
        return kept;
    }

    @Test
    void aRegexpThatHasDroppedEveryKeyIsLoggedOnceAfterTheScrape() throws Exception {
        KeyDecoder decoder = decoder(label("comm", 16, 7, named("string"), named("regexp", "^(kswapd)\\d+$")));
        assertThat(scrape(decoder, comm("bash"), comm("sshd"), comm("systemd"))).isZero();
        assertThat(warnings()).containsExactly("t.yaml:7: label \"comm\": no regexp matched: all 3 keys read so far"
                + " were dropped, so this metric has no series: check that the decoders fit the label's values");
        assertThat(scrape(decoder, comm("bash"), comm("cron"))).isZero();
        assertThat(warnings()).as("once per metric").hasSize(1);
    }

    @Test
    void aRegexpThatKeepsSomeKeysSaysNothing() throws Exception {
        KeyDecoder decoder = decoder(label("comm", 16, 7, named("string"), named("regexp", "^(kswapd)\\d+$")));
        assertThat(scrape(decoder, comm("bash"), comm("kswapd0"), comm("sshd"))).isOne();
        assertThat(scrape(decoder)).isZero();
        assertThat(warnings()).isEmpty();
    }

    @Test
    void aValueThatIsNotTextIsLoggedOncePerLabel() throws Exception {
        // string on a u64 that holds a kernel pointer: bytes that are neither text nor UTF-8.
        KeyDecoder decoder = decoder(label("task", 8, 9, named("string")), label("comm", 16, 12, named("string")));
        byte[] key = new byte[24];
        ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).putLong(0xffff888012345678L);
        System.arraycopy(comm("bash"), 0, key, 8, 16);
        DecodedKey decoded = decoder.decode(key, 0, decoder.nextGeneration());
        assertThat(decoded.labels.get("task")).isEqualTo("xV4\\x12\ufffd\ufffd\ufffd\ufffd");
        assertThat(warnings()).containsExactly("t.yaml:9: label \"task\": a value decoded to bytes that are not text"
                + " (\"xV4\\x12\ufffd\ufffd\ufffd\ufffd\", exported escaped): the label's size or decoders do not fit what"
                + " the program writes there (logged once)");
        ByteBuffer.wrap(key).order(ByteOrder.LITTLE_ENDIAN).putLong(0xffff888087654321L);
        decoder.decode(key, 0, decoder.nextGeneration());
        assertThat(warnings()).as("once per label").hasSize(1);
    }
}
