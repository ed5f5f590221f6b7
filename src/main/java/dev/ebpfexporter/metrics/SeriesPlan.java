package dev.ebpfexporter.metrics;

import dev.ebpfexporter.bpf.MapEntries;
import dev.ebpfexporter.exposition.LabelSet;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * How the raw keys of one map read turn into series: for each entry (and CPU, for per-CPU series)
 * the index of its series, with series numbered in label order. A plan is built from the decode
 * cache when a map's key set changes and reused by every later scrape that reads exactly the same
 * keys, which is a map's steady state: such a scrape compares the key bytes with the plan's (one
 * vectorized comparison), sums values into an array by index and hands the writer series in label
 * order with their labels already encoded, with no hashing, decoding, label building or sorting
 * per key.
 *
 * <p>Plans are immutable once built. A plan with a failed decode is never reused, so the failure
 * is retried and counted on every scrape as before.
 *
 * <p>The series limit cuts here, in {@link Builder#series} and {@link Builder#cut}: what does not fit is
 * left out, or, for a metric with {@code overflow_series}, summed into its one overflow series.
 */
final class SeriesPlan {
    private final byte[] keys;
    private final int count;
    private final int keySize;
    private final boolean reusable;
    /** Per entry, or per entry and CPU ({@code entry * cpus + cpu}): the series index, or -1 (dropped). */
    final int[] seriesOf;
    /** Histograms: per entry, the bucket slot (or the sum slot); null for counters. */
    final int[] slotOf;
    /** The series' labels, sorted. */
    final LabelSet[] labels;
    /** Distinct series the series limit cut from every scrape that uses this plan. */
    final int dropped;
    /** The index of the overflow series, or -1 when nothing was folded into one. */
    final int overflow;

    private SeriesPlan(byte[] keys, int count, int keySize, boolean reusable, int[] seriesOf, int[] slotOf,
                       LabelSet[] labels, int dropped, int overflow) {
        this.keys = keys;
        this.count = count;
        this.keySize = keySize;
        this.reusable = reusable;
        this.seriesOf = seriesOf;
        this.slotOf = slotOf;
        this.labels = labels;
        this.dropped = dropped;
        this.overflow = overflow;
    }

    /**
     * The series entry {@code index} of {@code entries} adds to (its first CPU's, for per-CPU series),
     * or -1 when it adds to none or only to the overflow series: what the keys of one series share.
     */
    int seriesOfEntry(int index) {
        int fanout = count == 0 ? 1 : seriesOf.length / count;
        int series = seriesOf[index * fanout];
        return series == overflow ? -1 : series;
    }

    /** Whether {@code entries} holds exactly the keys, in the same order, that this plan was built from. */
    boolean matches(MapEntries entries) {
        if (!reusable || entries.count() != count || entries.keySize() != keySize) {
            return false;
        }
        int bytes = count * keySize;
        return Arrays.equals(entries.keys(), 0, bytes, keys, 0, bytes);
    }

    int series() {
        return labels.length;
    }

    /** Collects series in first-seen order under the limit, then numbers them in label order. */
    static final class Builder {
        private final SeriesLimit limit;
        private final LabelSet overflowLabels;
        /** Series of their own that fit: the limit, less one for the overflow series when there is one. */
        private final int room;
        private int overflow = -1;
        private final Map<LabelSet, Integer> index;
        private LabelSet[] seen;
        /** Distinct label sets cut, remembered up to the limit; beyond it only counted. */
        private final Set<LabelSet> rejected = new HashSet<>();
        private int uncounted;
        private int size;
        private boolean failed;

        Builder(SeriesLimit limit, int expected) {
            this(limit, expected, null);
        }

        /**
         * @param overflowLabels the labels of the series that takes what the limit cuts ({@code overflow_series}),
         *                       or null to leave it out
         */
        Builder(SeriesLimit limit, int expected, LabelSet overflowLabels) {
            this.limit = limit;
            this.overflowLabels = overflowLabels;
            this.room = overflowLabels == null ? limit.max() : limit.max() - 1;
            int capacity = Math.min(expected, limit.max());
            this.index = HashMap.newHashMap(capacity);
            this.seen = new LabelSet[Math.max(capacity, 0)];
        }

        /** The (provisional) index of {@code labels}' series, or what {@link #cut} gives when the limit cuts it. */
        int series(LabelSet labels) {
            Integer known = index.get(labels);
            if (known != null) {
                return known;
            }
            if (full()) {
                if (rejected.size() < limit.max()) {
                    rejected.add(labels);
                } else if (!rejected.contains(labels)) {
                    uncounted++;
                }
                return cut();
            }
            seen[size] = labels;
            index.put(labels, size);
            return size++;
        }

        /** Where a value the limit cuts goes: the overflow series (made on first use), or -1 (nowhere). */
        int cut() {
            if (overflowLabels == null) {
                return -1;
            }
            if (overflow < 0) {
                Integer same = index.get(overflowLabels);
                if (same != null) {
                    overflow = same; // a real series already has these labels: one series, not two alike
                } else {
                    overflow = size;
                    if (size == seen.length) {
                        seen = Arrays.copyOf(seen, size + 1);
                    }
                    seen[size++] = overflowLabels;
                }
            }
            return overflow;
        }

        /** No further series of their own fit: the limit (or the expected count) is reached. */
        boolean full() {
            return (overflow < 0 ? size : size - 1) >= room || size == seen.length;
        }

        /** {@code series} entries were left undecoded because the plan was full; each counts as cut. */
        void skipped(int series) {
            uncounted += series;
        }

        /** A key failed to decode: the plan must not be reused, so the key is tried again next scrape. */
        void failed() {
            failed = true;
        }

        /** Renumbers {@code seriesOf} (in place) so that series indexes follow label order. */
        SeriesPlan build(MapEntries entries, int[] seriesOf, int[] slotOf) {
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> seen[a].compareTo(seen[b]));
            int[] rank = new int[size];
            LabelSet[] sorted = new LabelSet[size];
            for (int r = 0; r < size; r++) {
                rank[order[r]] = r;
                sorted[r] = seen[order[r]];
            }
            for (int i = 0; i < seriesOf.length; i++) {
                if (seriesOf[i] >= 0) {
                    seriesOf[i] = rank[seriesOf[i]];
                }
            }
            return new SeriesPlan(entries.keys(), entries.count(), entries.keySize(), !failed, seriesOf, slotOf,
                    sorted, rejected.size() + uncounted, overflow < 0 ? -1 : rank[overflow]);
        }
    }
}
