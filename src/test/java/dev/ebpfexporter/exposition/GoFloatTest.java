package dev.ebpfexporter.exposition;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GoFloatTest {

    /**
     * {@code go-format-float.tsv}: float64 bits and Go's {@code strconv.FormatFloat(v, 'g', -1, 64)}
     * of each, written by Go 1.19 running {@code go-format-float.go.txt} (tiny, huge, integral,
     * non-integral, exp2/linear bucket bounds with multipliers, and random values).
     */
    @Test
    void everyValueIsWrittenAsGoFormatsIt() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int rows = 0;
        try (InputStream in = GoFloatTest.class.getResourceAsStream("/exposition/go-format-float.tsv")) {
            assertThat(in).isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                String[] cols = line.split("\t");
                double v = Double.longBitsToDouble(Long.parseUnsignedLong(cols[0]));
                String ours = GoFloat.format(v);
                if (!ours.equals(cols[1])) {
                    mismatches.add(v + ": go " + cols[1] + ", ours " + ours);
                }
                rows++;
            }
        }
        assertThat(rows).isGreaterThan(2000);
        assertThat(mismatches).isEmpty();
    }

    @Test
    void bucketBoundsOfTheIssueAndSpecialValues() {
        assertThat(GoFloat.format(1e-6)).isEqualTo("1e-06");
        assertThat(GoFloat.format(0.000512)).isEqualTo("0.000512");
        assertThat(GoFloat.format(50)).isEqualTo("50");
        assertThat(GoFloat.format(1048576)).isEqualTo("1.048576e+06");
        assertThat(GoFloat.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(GoFloat.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(GoFloat.format(Double.NaN)).isEqualTo("NaN");
        assertThat(GoFloat.format(-0.0)).as("client_golang writes both zeros as 0").isEqualTo("0");
        assertThat(GoFloat.format(-1048576)).isEqualTo("-1.048576e+06");
        assertThat(GoFloat.format(-0.25)).isEqualTo("-0.25");
    }

    @Test
    void openMetricsAddsAPointWhereGoHasNone() {
        assertThat(om(1)).isEqualTo("1.0");
        assertThat(om(0)).isEqualTo("0.0");
        assertThat(om(50)).isEqualTo("50.0");
        assertThat(om(1e6)).isEqualTo("1e+06");
        assertThat(om(0.5)).isEqualTo("0.5");
        assertThat(om(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    }

    @Test
    void countsAboveTheSignedRangeAreUnsigned() {
        ByteBuf out = new ByteBuf(4);
        out.unsigned(-1L);
        assertThat(out.toString()).isEqualTo("18446744073709551615");
        out.clear();
        out.unsigned(1234567890123L);
        assertThat(out.toString()).isEqualTo("1234567890123");
    }

    private static String om(double v) {
        ByteBuf out = new ByteBuf(8);
        GoFloat.appendOpenMetrics(out, v);
        return out.toString();
    }
}
