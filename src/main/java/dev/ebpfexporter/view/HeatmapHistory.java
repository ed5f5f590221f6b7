package dev.ebpfexporter.view;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * How each histogram series moved: per sample, the count each bucket gained since the sample
 * before. Bounded twice: the last {@link #COLUMNS} samples (10 minutes at one sample per 2 s),
 * and at most {@link #MAX_CELLS} counts in all (4 MiB); a series that does not fit is not tracked,
 * and one unseen for a whole window is dropped, giving its room back. Not thread-safe: the
 * sampler calls it under its lock.
 */
final class HeatmapHistory {
    static final int COLUMNS = 300;
    static final long MAX_CELLS = 1L << 20;

    /** One sample's place on the time axis, and where its counts are kept. */
    record Column(long seq, long epochMillis, long millis, int slot) {
    }

    private static final class Track {
        final int[][] deltas = new int[COLUMNS][];
        final int buckets;
        long lastSeen;

        Track(int buckets) {
            this.buckets = buckets;
        }
    }

    private final Column[] columns = new Column[COLUMNS];
    private final Map<String, Track> tracks = new HashMap<>();
    private long recorded;
    private long cells;

    /** Adds a column: {@code deltas} maps a series key to its buckets' gains since the previous column. */
    void record(long seq, long epochMillis, long millis, Map<String, long[]> deltas) {
        int slot = (int) (recorded % COLUMNS);
        columns[slot] = new Column(seq, epochMillis, millis, slot);
        for (Track track : tracks.values()) {
            track.deltas[slot] = null;
        }
        for (var entry : deltas.entrySet()) {
            long[] gained = entry.getValue();
            Track track = tracks.get(entry.getKey());
            if (track == null || track.buckets != gained.length) {
                if (track != null) {
                    cells -= (long) track.buckets * COLUMNS;
                }
                long needed = (long) gained.length * COLUMNS;
                if (cells + needed > MAX_CELLS) {
                    tracks.remove(entry.getKey());
                    continue;
                }
                track = new Track(gained.length);
                cells += needed;
                tracks.put(entry.getKey(), track);
            }
            int[] saturated = new int[gained.length];
            for (int i = 0; i < gained.length; i++) {
                saturated[i] = (int) Math.min(Integer.MAX_VALUE, Math.max(0, gained[i]));
            }
            track.deltas[slot] = saturated;
            track.lastSeen = recorded;
        }
        for (Iterator<Track> it = tracks.values().iterator(); it.hasNext(); ) {
            Track track = it.next();
            if (recorded - track.lastSeen >= COLUMNS) {
                cells -= (long) track.buckets * COLUMNS;
                it.remove();
            }
        }
        recorded++;
    }

    /** The retained columns with a sequence number above {@code seq}, oldest first. */
    List<Column> columnsAfter(long seq) {
        List<Column> result = new ArrayList<>();
        long first = Math.max(0, recorded - COLUMNS);
        for (long i = first; i < recorded; i++) {
            Column column = columns[(int) (i % COLUMNS)];
            if (column.seq() > seq) {
                result.add(column);
            }
        }
        return result;
    }

    /** Whether {@code series} has a track (it fitted in the budget). */
    boolean tracks(String series) {
        return tracks.containsKey(series);
    }

    /** The gains of {@code series} in {@code column} (one still retained), or null when not recorded. */
    int[] deltas(String series, Column column) {
        Track track = tracks.get(series);
        return track == null || columns[column.slot()] != column ? null : track.deltas[column.slot()];
    }

    /** Counts held now (for the memory bound's tests). */
    long cells() {
        return cells;
    }
}
