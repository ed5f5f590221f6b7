package dev.ebpfexporter.config;

import static dev.ebpfexporter.config.HistogramYaml.histogram;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Numbers that would cost unbounded memory or time later (an array of 2^31 buckets, a bucket per
 * series per scrape, a label wider than any key) are refused when the config is read, with the
 * bound and its reason in the one-line message.
 */
class ConfigBoundsTest {
    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("bucket_max at the int limit", histogram("bucket_type: exp2", "bucket_max: 2147483647"),
                        "t.yaml:7: metrics.histograms[0].bucket_max: bucket_min 0 and bucket_max 2147483647 must be"
                        + " within -64..64 for bucket_type exp2 (bounds are powers of two; 2^64 is above any 64-bit value)"),
                Arguments.of("exp2 bucket_max of a billion", histogram("bucket_type: exp2", "bucket_max: 1000000000"),
                        "t.yaml:7: metrics.histograms[0].bucket_max: bucket_min 0 and bucket_max 1000000000 must be"
                        + " within -64..64 for bucket_type exp2 (bounds are powers of two; 2^64 is above any 64-bit value)"),
                Arguments.of("exp2zero below -64", histogram("bucket_type: exp2zero", "bucket_min: -65"),
                        "t.yaml:7: metrics.histograms[0].bucket_min: bucket_min -65 and bucket_max 0 must be within"
                        + " -64..64 for bucket_type exp2zero (bounds are powers of two; 2^64 is above any 64-bit value)"),
                Arguments.of("linear bucket_max of ten million", histogram("bucket_type: linear", "bucket_max: 10000000"),
                        "t.yaml:7: metrics.histograms[0].bucket_max: bucket_min 0 to bucket_max 10000000 is 10000001"
                        + " buckets, more than the 4096 a histogram may have (each series carries every bucket)"),
                Arguments.of("more fixed keys than buckets allowed", histogram("bucket_type: fixed",
                        "bucket_keys: [" + IntStream.range(0, 4097).mapToObj(Integer::toString)
                                .collect(Collectors.joining(", ")) + "]"),
                        "t.yaml:7: metrics.histograms[0].bucket_keys: 4097 bucket_keys, more than the 4096 a histogram"
                        + " may have (each series carries every bucket)"),
                Arguments.of("label wider than any map key", """
                        metrics:
                          counters:
                            - name: c
                              help: h
                              labels: [{name: l, size: 2147483647, padding: 1}]
                        """, "t.yaml:5: metrics.counters[0].labels[0].size: size 2147483647 plus padding 1 is more than"
                        + " 65536 bytes, larger than any BPF map key"),
                Arguments.of("perf_event_array quoted", counter("perf_event_array: \"yes\""),
                        "t.yaml:5: metrics.counters[0].perf_event_array: expected true or false, got \"yes\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWithTheBoundInOneLine(String what, String yaml, String expected) {
        long started = System.nanoTime();
        assertThatThrownBy(() -> new ConfigLoader().parse("t", Path.of("t.yaml"), Path.of("t.bpf.o"), yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage(expected)
                .message().doesNotContain("\n");
        assertThat((System.nanoTime() - started) / 1_000_000).as("milliseconds to refuse").isLessThan(5_000);
    }

    @Test
    void theBoundsThemselvesAreAccepted() throws ConfigException {
        var exp2 = new ConfigLoader().parse("t", Path.of("t.yaml"), Path.of("t.bpf.o"),
                histogram("bucket_type: exp2zero", "bucket_max: 64"));
        assertThat(exp2.histograms().getFirst().bucketMax()).isEqualTo(64);
        var linear = new ConfigLoader().parse("t", Path.of("t.yaml"), Path.of("t.bpf.o"),
                histogram("bucket_type: linear", "bucket_min: -100\n      bucket_max: 3995"));
        assertThat(linear.histograms().getFirst().bucketMax()).isEqualTo(3995);
    }

    @Test
    void perfEventArrayTakesTheYamlBooleansTheReferenceTakes() throws ConfigException {
        for (String yes : new String[] {"yes", "Yes", "on", "true", "y"}) {
            var config = new ConfigLoader().parse("t", Path.of("t.yaml"), Path.of("t.bpf.o"),
                    counter("perf_event_array: " + yes));
            assertThat(config.counters().getFirst().perfEventArray()).as(yes).isTrue();
        }
        for (String no : new String[] {"no", "off", "false", ""}) {
            var config = new ConfigLoader().parse("t", Path.of("t.yaml"), Path.of("t.bpf.o"),
                    counter("perf_event_array: " + no));
            assertThat(config.counters().getFirst().perfEventArray()).as(no).isFalse();
        }
    }

    private static String counter(String line) {
        return """
                metrics:
                  counters:
                    - name: c
                      help: h
                      %s
                """.formatted(line);
    }
}
