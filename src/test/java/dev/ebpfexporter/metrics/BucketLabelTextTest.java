package dev.ebpfexporter.metrics;

import dev.ebpfexporter.config.BucketType;
import dev.ebpfexporter.config.HistogramConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ebpfexporter.metrics.Fixtures.entries;
import static dev.ebpfexporter.metrics.Fixtures.key;
import static dev.ebpfexporter.metrics.Fixtures.row;
import static dev.ebpfexporter.metrics.Fixtures.text;
import static dev.ebpfexporter.metrics.Fixtures.uint;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code le} of every bucket type as the reference writes it. The expected texts were printed by Go
 * 1.19 with {@code strconv.FormatFloat(v, 'g', -1, 64)} of the same arithmetic the reference does
 * ({@code math.Pow(2, k) * multiplier}, {@code k * multiplier}, {@code key * multiplier}).
 */
class BucketLabelTextTest {

    private static List<String> le(HistogramConfig config, int firstKey) throws Exception {
        var family = MapMetric.family(config, false, 4, Fixtures.DECODERS, new LongAdder(), new SeriesLimit(10));
        String text = text(family.apply(entries(4, 1, List.of(row(key(firstKey, 4), 1)))));
        Matcher m = Pattern.compile("le=\"([^\"]+)\"").matcher(text);
        List<String> bounds = new java.util.ArrayList<>();
        while (m.find()) {
            bounds.add(m.group(1));
        }
        return bounds;
    }

    @Test
    void exp2WithAMicrosecondMultiplier() throws Exception {
        assertThat(le(Fixtures.histogram(BucketType.EXP2, 0.000001, 0, 26, List.of(), uint("bucket", 4)), 0))
                .containsExactly(("1e-06,2e-06,4e-06,8e-06,1.6e-05,3.2e-05,6.4e-05,0.000128,0.000256,0.000512,0.001024,"
                        + "0.002048,0.004096,0.008192,0.016384,0.032768,0.065536,0.131072,0.262144,0.524288,1.048576,"
                        + "2.097152,4.194304,8.388608,16.777216,33.554432,67.108864,+Inf").split(","));
    }

    @Test
    void exp2zeroLinearAndFixed() throws Exception {
        assertThat(le(Fixtures.histogram(BucketType.EXP2ZERO, 1, 0, 12, List.of(), uint("bucket", 4)), 0))
                .containsExactly("0,1,2,4,8,16,32,64,128,256,512,1024,2048,+Inf".split(","));
        assertThat(le(Fixtures.histogram(BucketType.LINEAR, 0.1, 0, 7, List.of(), uint("bucket", 4)), 0))
                .containsExactly("0,0.1,0.2,0.30000000000000004,0.4,0.5,0.6000000000000001,0.7000000000000001,+Inf"
                        .split(","));
        assertThat(le(Fixtures.histogram(BucketType.FIXED, 0.001, 0, 0, List.of(0.5, 1.0, 2.5, 1000.0, 1e6),
                uint("bucket", 4)), 1)).containsExactly("0.0005,0.001,0.0025,1,1000,+Inf".split(","));
    }

    @Test
    void hugeBoundsTakeTheExponentForm() throws Exception {
        assertThat(le(Fixtures.histogram(BucketType.EXP2, 1, 19, 21, List.of(), uint("bucket", 4)), 19))
                .containsExactly("524288", "1.048576e+06", "2.097152e+06", "+Inf");
    }
}
