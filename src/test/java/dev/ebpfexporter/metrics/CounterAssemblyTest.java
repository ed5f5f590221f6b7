package dev.ebpfexporter.metrics;

import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.CounterConfig;
import dev.ebpfexporter.config.DecoderConfig;
import dev.ebpfexporter.config.Source;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import static dev.ebpfexporter.metrics.Fixtures.entries;
import static dev.ebpfexporter.metrics.Fixtures.key;
import static dev.ebpfexporter.metrics.Fixtures.row;
import static dev.ebpfexporter.metrics.Fixtures.text;
import static dev.ebpfexporter.metrics.Fixtures.uint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CounterAssemblyTest {

    @Test
    void countersAreDecodedAndKeysThatDecodeAlikeAreSummed() throws Exception {
        CounterConfig config = Fixtures.counter("events_total",
                Fixtures.label("kind", 4, 0, DecoderConfig.named("uint"),
                        Fixtures.staticMap(Map.of("1", "a", "2", "a", "3", "b"))));
        var family = MapMetric.family(config, false, 4, Fixtures.DECODERS, new LongAdder(), new SeriesLimit(100));
        String text = text(family.apply(entries(4, 1, List.of(row(key(1, 4), 10), row(key(2, 4), 5), row(key(3, 4), 1)))));
        assertThat(text).contains("# TYPE ebpf_exporter_events_total counter", "ebpf_exporter_events_total{kind=\"a\"} 15",
                "ebpf_exporter_events_total{kind=\"b\"} 1");
    }

    @Test
    void perCpuValuesAreSummedUnlessTheLastLabelIsCpu() throws Exception {
        CounterConfig summed = Fixtures.counter("hits_total", uint("id", 8));
        var family = MapMetric.family(summed, true, 8, Fixtures.DECODERS, new LongAdder(), new SeriesLimit(100));
        assertThat(text(family.apply(entries(8, 2, List.of(row(key(7, 8), 3, 4))))))
                .contains("ebpf_exporter_hits_total{id=\"7\"} 7");

        CounterConfig perCpu = Fixtures.counter("hits_total", uint("id", 8), uint("cpu", 2));
        // The cpu label is not part of the key: the map key is the 8-byte id alone.
        var split = MapMetric.family(perCpu, true, 8, Fixtures.DECODERS, new LongAdder(), new SeriesLimit(100));
        assertThat(text(split.apply(entries(8, 2, List.of(row(key(7, 8), 3, 4))))))
                .contains("ebpf_exporter_hits_total{cpu=\"0\",id=\"7\"} 3", "ebpf_exporter_hits_total{cpu=\"1\",id=\"7\"} 4");
    }

    @Test
    void aMetricWithoutLabelsReadsTheSingleU32Key() throws Exception {
        CounterConfig config = Fixtures.counter("pages_total");
        var family = MapMetric.family(config, false, 4, Fixtures.DECODERS, new LongAdder(), new SeriesLimit(100));
        assertThat(text(family.apply(entries(4, 1, List.of(row(key(0, 4), 42))))))
                .contains("ebpf_exporter_pages_total 42");
        assertThatThrownBy(() -> MapMetric.family(config, false, 8, Fixtures.DECODERS, new LongAdder(), new SeriesLimit(1)))
                .hasMessage("test.yaml:3: metric pages_total: has no labels, so map pages_total must have a 4-byte (u32) key, but its key is 8 bytes");
    }

    @Test
    void counterNamesWithoutTotalAreCountersUnderTheirExactName() throws Exception {
        CounterConfig config = Fixtures.counter("oom_kills", uint("id", 4));
        var family = MapMetric.family(config, false, 4, Fixtures.DECODERS, new LongAdder(), new SeriesLimit(100));
        String text = text(family.apply(entries(4, 1, List.of(row(key(1, 4), 2)))));
        assertThat(text).contains("# TYPE ebpf_exporter_oom_kills counter", "ebpf_exporter_oom_kills{id=\"1\"} 2");
    }

    @Test
    void aKeyThatFailsToDecodeIsDroppedAndCountedOncePerScrape() throws Exception {
        // ksym needs 8 bytes: feed it through a chain that fails at scrape time (errno of a non-number).
        CounterConfig config = Fixtures.counter("errors_total", Fixtures.label("err", 4, 0,
                DecoderConfig.named("string"), DecoderConfig.named("errno")));
        LongAdder errors = new LongAdder();
        var family = MapMetric.family(config, false, 4, Fixtures.DECODERS, errors, new SeriesLimit(100));
        var rows = entries(4, 1, List.of(row(new byte[]{'x', 0, 0, 0}, 1), row(new byte[]{'1', 0, 0, 0}, 2)));
        String text = text(family.apply(rows));
        assertThat(text).contains("ebpf_exporter_errors_total{err=\"EPERM\"} 2").doesNotContain("err=\"x\"");
        assertThat(errors.sum()).isEqualTo(1);
        family.apply(rows);
        assertThat(errors.sum()).as("failures are not cached: counted again next scrape").isEqualTo(2);
    }

    @Test
    void regexpWithoutMatchDropsTheKeyWithoutCountingAnError() throws Exception {
        CounterConfig config = Fixtures.counter("comm_total", Fixtures.label("comm", 4, 0,
                DecoderConfig.named("string"),
                new DecoderConfig("regexp", Map.of(), List.of("^ab"), false, Source.NONE)));
        LongAdder errors = new LongAdder();
        var family = MapMetric.family(config, false, 4, Fixtures.DECODERS, errors, new SeriesLimit(100));
        String text = text(family.apply(entries(4, 1, List.of(
                row(new byte[]{'a', 'b', 'c', 0}, 1), row(new byte[]{'z', 'z', 0, 0}, 2)))));
        assertThat(text).contains("{comm=\"ab\"} 1").doesNotContain("zz");
        assertThat(errors.sum()).isZero();
    }

    @Test
    void seriesBeyondTheLimitAreDroppedAndCounted() throws Exception {
        CounterConfig config = Fixtures.counter("pids_total", uint("pid", 4));
        SeriesLimit limit = new SeriesLimit(2);
        var family = MapMetric.family(config, false, 4, Fixtures.DECODERS, new LongAdder(), limit);
        String text = text(family.apply(entries(4, 1, List.of(row(key(1, 4), 1), row(key(2, 4), 1), row(key(3, 4), 1)))));
        assertThat(text.lines().filter(l -> l.startsWith("ebpf_exporter_pids_total{"))).hasSize(2);
        assertThat(limit.dropped()).isEqualTo(1);
    }

    @Test
    void keyLayoutCountsPaddingAndNamesTheMismatch() throws ConfigException {
        KeyLayout layout = KeyLayout.of(List.of(Fixtures.label("a", 1, 3), Fixtures.label("b", 4, 0), uint("c", 8)));
        assertThat(layout.offsets()).containsExactly(0, 4, 8);
        assertThat(layout.keySize()).isEqualTo(16);
        CounterConfig config = Fixtures.counter("x_total", Fixtures.label("a", 1, 3), uint("b", 8));
        assertThatThrownBy(() -> KeyLayout.of(config.labels()).checkAgainst(config, 16))
                .hasMessage("test.yaml:3: metric x_total: labels describe a 12-byte key (a 1+3 padding + b 8) but map x_total has 16-byte keys");
    }
}
