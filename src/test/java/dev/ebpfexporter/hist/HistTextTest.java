package dev.ebpfexporter.hist;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing buckets from either exporter's text, and the unit and rows they are shown in. */
class HistTextTest {
    @Test
    void goAndJavaFloatFormatsOfLeParseToTheSameBounds() {
        String go = "m_bucket{le=\"1e-06\"} 1\nm_bucket{le=\"0.000512\"} 3\nm_bucket{le=\"+Inf\"} 3\n";
        String java = "m_bucket{le=\"1.0E-6\"} 1.0\nm_bucket{le=\"5.12E-4\"} 3.0\nm_bucket{le=\"+Inf\"} 3.0\n";
        Distribution expected = new Distribution(new double[]{1e-6, 512e-6, Double.POSITIVE_INFINITY}, new long[]{1, 2, 0});
        assertThat(TextExposition.parse(go).series("m", Map.of())).singleElement()
                .extracting(TextExposition.Series::distribution).isEqualTo(expected);
        assertThat(TextExposition.parse(java).series("m", Map.of())).singleElement()
                .extracting(TextExposition.Series::distribution).isEqualTo(expected);
    }

    @Test
    void labelValuesKeepEscapedQuotesCommasAndBraces() {
        String text = "m_bucket{comm=\"a\\\"b,}c\",le=\"1\"} 2 1700000000000\n";
        assertThat(TextExposition.parse(text).series("m", Map.of("comm", "a\"b,}c"))).singleElement()
                .extracting(TextExposition.Series::labels).isEqualTo(Map.of("comm", "a\"b,}c"));
    }

    @Test
    void aMalformedBoundNamesItsLine() {
        assertThatThrownBy(() -> TextExposition.parse("# x\nm_bucket{le=\"abc\"} 1\n"))
                .hasMessage("line 2: le \"abc\" is not a number");
    }

    @Test
    void secondsAreShownInTheUnitOfTheSmallestBucket() {
        assertThat(DisplayUnit.of("x_seconds", new double[]{1e-6, 2e-6})).isEqualTo(new DisplayUnit("usecs", 1e6));
        assertThat(DisplayUnit.of("x_seconds", new double[]{0, 0.001, 0.002})).isEqualTo(new DisplayUnit("msecs", 1e3));
        assertThat(DisplayUnit.of("x_seconds", new double[]{1, 2})).isEqualTo(new DisplayUnit("secs", 1));
        assertThat(DisplayUnit.of("x_seconds", new double[]{1e-9})).isEqualTo(new DisplayUnit("nsecs", 1e9));
        assertThat(DisplayUnit.of("io_size_bytes", new double[]{512})).isEqualTo(new DisplayUnit("bytes", 1));
        assertThat(DisplayUnit.of("queue_depth", new double[]{1})).isEqualTo(new DisplayUnit("value", 1));
    }

    @Test
    void boundsReadAsWholeNumbersDespiteFloatingPointScaling() {
        DisplayUnit usecs = new DisplayUnit("usecs", 1e6);
        assertThat(usecs.format(Math.pow(2, 20) * 0.000001)).isEqualTo("1048576");
        assertThat(usecs.format(0.0000025)).isEqualTo("2.5");
        assertThat(usecs.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    }

    @Test
    void rowsRunFromTheFirstBucketToTheLastWithACount() {
        Distribution d = new Distribution(new double[]{1, 2, 4, 8, Double.POSITIVE_INFINITY}, new long[]{0, 3, 1, 0, 0});
        assertThat(d.rows(new DisplayUnit("value", 1))).containsExactly(
                new Distribution.Row("0", "1", 0), new Distribution.Row("1", "2", 3), new Distribution.Row("2", "4", 1));
        assertThat(new Distribution(new double[]{1}, new long[]{0}).rows(new DisplayUnit("value", 1))).isEmpty();
        assertThat(BccFormat.render("value", List.of())).isEmpty();
    }

    @Test
    void moreThan33RowsUseTheWideLayoutWithTwentyStars() {
        double[] bounds = new double[40];
        long[] counts = new long[40];
        for (int i = 0; i < 40; i++) {
            bounds[i] = Math.pow(2, i);
            counts[i] = i == 39 ? 4 : i == 38 ? 2 : 0;
        }
        String text = BccFormat.render("value", new Distribution(bounds, counts).rows(new DisplayUnit("value", 1)));
        List<String> lines = text.lines().toList();
        assertThat(lines.getFirst()).isEqualTo(" ".repeat(15) + "value" + " ".repeat(24) + " : count    distribution");
        assertThat(lines.getLast()).isEqualTo("        274877906944 -> 549755813888         : 4        |"
                + "*".repeat(20) + "|");
        assertThat(lines.get(lines.size() - 2)).endsWith(": 2        |" + "*".repeat(10) + " ".repeat(10) + "|");
    }

    @Test
    void aDifferenceThatWentDownIsARestart() {
        double[] bounds = {1, Double.POSITIVE_INFINITY};
        assertThat(new Distribution(bounds, new long[]{5, 1}).minus(new Distribution(bounds, new long[]{7, 0})))
                .isEqualTo(new Distribution(bounds, new long[]{5, 1}));
    }
}
