package dev.ebpfexporter.metrics;

import static dev.ebpfexporter.metrics.Fixtures.DECODERS;
import static dev.ebpfexporter.metrics.Fixtures.counter;
import static dev.ebpfexporter.metrics.Fixtures.uint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebpfexporter.config.CounterConfig;

import java.util.Map;

import org.junit.jupiter.api.Test;

class KeyLabelsTest {
    private static final byte[] KEYS = {7, 0, 0, 0, 9, 0, 0, 0};

    @Test
    void decodesKeysWithTheScrapeLayout() {
        CounterConfig config = counter("c", uint("a", 4), uint("b", 4));
        assertThat(KeyLabels.of(config, false, DECODERS).decode(KEYS, 0))
                .isEqualTo(new KeyLabels.Decoded(Map.of("a", "7", "b", "9"), false, null));
        assertThat(KeyLabels.of(config, false, DECODERS).decode(KEYS, 4).labels()).containsEntry("a", "9");
    }

    @Test
    void aPerCpuCounterEndingInCpuHasNoCpuInTheKey() {
        CounterConfig config = counter("c", uint("a", 4), uint("cpu", 4));
        assertThat(KeyLabels.of(config, true, DECODERS).decode(KEYS, 4).labels()).containsExactly(Map.entry("a", "9"));
        assertThat(KeyLabels.of(config, false, DECODERS).decode(KEYS, 0).labels()).containsOnlyKeys("a", "cpu");
    }
}
