package dev.ebpfexporter.metrics;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.MapEntries;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;

/**
 * {@code expire_after}: deletes from the map, at scrape time, the keys of series whose values have not
 * changed for that long, so maps keyed by pid, socket or cgroup do not grow without bound.
 *
 * <p>A series is the unit: its keys (a histogram's buckets, keys that decode to the same labels, a
 * per-CPU key's CPUs) expire together, when none of them changed, so a series that is still counting
 * never loses part of its value (which Prometheus would read as a counter reset). A key in no series
 * (dropped by a decoder, cut by the series limit, folded into the overflow series) is on its own.
 *
 * <p>A key's value is compared, all of its bytes (every CPU's), with the previous read's; a key is
 * "changed" when first seen. The time is this exporter's: nothing expires before the exporter has
 * watched a key for {@code expire_after}, and nothing expires between scrapes. An event the program
 * counts between the read and the delete of an idle key is lost with it.
 */
final class KeyExpiry {
    /** Deletes one key from the metric's map; false when it was already gone. */
    interface Deleter {
        boolean delete(byte[] key) throws BpfException;
    }

    private final long afterNanos;
    private final LongSupplier clock;
    private final LongAdder expired = new LongAdder();
    private MapEntries previous;
    private long[] previousChanged;

    KeyExpiry(Duration after, LongSupplier nanoClock) {
        this.afterNanos = after.toNanos();
        this.clock = nanoClock;
    }

    /**
     * Notes what changed since the last read and deletes the keys of series idle for the expiry time.
     *
     * @param seriesOf entry index to its series (shared by the keys of one series), or -1 for none
     * @param series   how many series there are
     * @return the keys deleted
     */
    synchronized int scrape(MapEntries entries, IntUnaryOperator seriesOf, int series, Deleter map)
            throws BpfException {
        long now = clock.getAsLong();
        int count = entries.count();
        long[] changed = changedSince(entries, now);
        long[] seriesChanged = new long[series];
        Arrays.fill(seriesChanged, Long.MIN_VALUE);
        for (int i = 0; i < count; i++) {
            int s = seriesOf.applyAsInt(i);
            if (s >= 0) {
                seriesChanged[s] = Math.max(seriesChanged[s], changed[i]);
            }
        }
        int deleted = 0;
        for (int i = 0; i < count; i++) {
            int s = seriesOf.applyAsInt(i);
            long last = s >= 0 ? seriesChanged[s] : changed[i];
            if (now - last >= afterNanos && map.delete(entries.key(i))) {
                deleted++;
            }
        }
        previous = entries;
        previousChanged = changed;
        expired.add(deleted);
        return deleted;
    }

    /** Per entry, when its value last changed: now if it is new or differs from the previous read. */
    private long[] changedSince(MapEntries entries, long now) {
        int count = entries.count();
        long[] changed = new long[count];
        Arrays.fill(changed, now);
        if (previous == null) {
            return changed;
        }
        int keySize = entries.keySize();
        int stride = entries.valueStride();
        boolean sameKeys = previous.count() == count && previous.keySize() == keySize
                && previous.valueStride() == stride
                && Arrays.equals(previous.keys(), 0, count * keySize, entries.keys(), 0, count * keySize);
        Map<ByteRegion, Integer> before = sameKeys ? null : indexOf(previous);
        ByteRegion probe = ByteRegion.probe();
        for (int i = 0; i < count; i++) {
            Integer j = sameKeys ? Integer.valueOf(i) : before.get(probe.set(entries.keys(), i * keySize, keySize));
            if (j != null && Arrays.equals(previous.values(), j * stride, (j + 1) * stride,
                    entries.values(), i * stride, (i + 1) * stride)) {
                changed[i] = previousChanged[j];
            }
        }
        return changed;
    }

    private static Map<ByteRegion, Integer> indexOf(MapEntries entries) {
        Map<ByteRegion, Integer> index = HashMap.newHashMap(entries.count());
        for (int i = 0; i < entries.count(); i++) {
            index.put(ByteRegion.probe().set(entries.keys(), i * entries.keySize(), entries.keySize()), i);
        }
        return index;
    }

    /** Keys deleted so far. */
    long expired() {
        return expired.sum();
    }
}
