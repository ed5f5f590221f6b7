package dev.ebpfexporter.hist;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One histogram's counts per bucket (not cumulative), with the buckets' upper bounds; the last
 * bound is +Inf. A bucket is the interval from the previous bound (exclusive) to its own.
 */
public record Distribution(double[] bounds, long[] counts) {
    public Distribution {
        if (bounds.length != counts.length) {
            throw new IllegalArgumentException(bounds.length + " bounds but " + counts.length + " counts");
        }
        bounds = bounds.clone();
        counts = counts.clone();
    }

    /** One printed row: a bucket's bounds in the display unit and its count. */
    public record Row(String low, String high, long count) {
    }

    /** Rows from the first bucket through the last one with a count; none when every count is 0. */
    public List<Row> rows(DisplayUnit unit) {
        int last = -1;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                last = i;
            }
        }
        List<Row> rows = new ArrayList<>(last + 1);
        for (int i = 0; i <= last; i++) {
            String low = i > 0 ? unit.format(bounds[i - 1]) : bounds[0] >= 0 ? "0" : "-Inf";
            rows.add(new Row(low, unit.format(bounds[i]), counts[i]));
        }
        return rows;
    }

    /** This minus {@code earlier} bucket by bucket; a bucket that went down (a restart) keeps its current count. */
    public Distribution minus(Distribution earlier) {
        if (!Arrays.equals(bounds, earlier.bounds)) {
            return this;
        }
        long[] difference = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            long delta = counts[i] - earlier.counts[i];
            difference[i] = delta >= 0 ? delta : counts[i];
        }
        return new Distribution(bounds, difference);
    }

    /** This plus {@code other} bucket by bucket (same bounds required). */
    public Distribution plus(Distribution other) {
        if (!Arrays.equals(bounds, other.bounds)) {
            throw new IllegalArgumentException("bucket bounds differ: " + Arrays.toString(bounds) + " and "
                    + Arrays.toString(other.bounds));
        }
        long[] sum = counts.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other.counts[i];
        }
        return new Distribution(bounds, sum);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Distribution d && Arrays.equals(bounds, d.bounds) && Arrays.equals(counts, d.counts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(bounds) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Distribution" + Arrays.toString(bounds) + Arrays.toString(counts);
    }
}
