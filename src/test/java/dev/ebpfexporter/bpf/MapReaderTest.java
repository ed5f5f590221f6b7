package dev.ebpfexporter.bpf;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.testing.BpfAvailability;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batch read protocol against real kernel maps created from Java: the end of the map, a read
 * that fills the buffer exactly, buckets bigger than the buffer (ENOSPC), per-CPU layouts, arrays,
 * keys deleted and inserted while reading, and the key-by-key fallback.
 */
class MapReaderTest {
    private static final long NO_FLAGS = 0;

    @BeforeEach
    void needsBpf() {
        BpfAvailability.require();
    }

    private static byte[] u64s(long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            buffer.putLong(v);
        }
        return buffer.array();
    }

    private static byte[] u32s(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            buffer.putInt(v);
        }
        return buffer.array();
    }

    /** Fills a u64 -> u64 hash map with keys [from, from+count) and value key*10. */
    private static void fill(BpfMap map, long from, int count) throws BpfException {
        long[] keys = new long[count];
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
            keys[i] = from + i;
            values[i] = (from + i) * 10;
        }
        BpfMaps.updateBatch(map, u64s(keys), u64s(values), count, NO_FLAGS);
    }

    /** Keys of a u64-keyed read as key -> value, failing on a duplicate key. */
    private static Map<Long, Long> asMap(MapEntries entries) {
        Map<Long, Long> result = new HashMap<>();
        ByteBuffer keys = ByteBuffer.wrap(entries.keys()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < entries.count(); i++) {
            long key = keys.getLong(i * 8);
            Long previous = result.put(key, entries.u64Sum(i));
            assertThat(previous).as("key %d read twice", key).isNull();
        }
        return result;
    }

    private static Map<Long, Long> expected(long from, int count) {
        Map<Long, Long> result = new HashMap<>();
        for (long k = from; k < from + count; k++) {
            result.put(k, k * 10);
        }
        return result;
    }

    @Test
    void emptyHashMapReadsNothing() throws BpfException {
        try (BpfMaps.Owned owned = BpfMaps.create(MapType.HASH, "empty", 8, 8, 1024)) {
            MapEntries entries = owned.map().readAll();
            assertThat(entries.count()).isZero();
            assertThat(entries.keys()).isEmpty();
            assertThat(owned.map().reader().batchSupported()).isTrue();
            assertThat(owned.map().readKeyByKey().count()).isZero();
        }
    }

    @Test
    void exactlyOneBatchAndOneMoreOrLess() throws BpfException {
        for (int count : new int[] {63, 64, 65}) {
            try (BpfMaps.Owned owned = BpfMaps.create(MapType.HASH, "one_batch", 8, 8, 1024)) {
                BpfMap map = owned.map();
                map.useReader(new MapReader(map, 64, false));
                fill(map, 1, count);
                assertThat(asMap(map.readAll())).as("%d entries through a 64-entry buffer", count)
                        .isEqualTo(expected(1, count));
                // A second read reuses the (maybe grown) buffer and sees the same.
                assertThat(asMap(map.readAll())).isEqualTo(expected(1, count));
            }
        }
    }

    @Test
    void bucketBiggerThanTheBufferGrowsItOnEnospc() throws BpfException {
        // 4096 keys in 4096 buckets: many buckets hold two or more keys, which a 1-entry buffer cannot take.
        try (BpfMaps.Owned owned = BpfMaps.create(MapType.HASH, "enospc", 8, 8, 4096)) {
            BpfMap map = owned.map();
            MapReader tiny = new MapReader(map, 1, false);
            map.useReader(tiny);
            fill(map, 1000, 4096);
            assertThat(asMap(map.readAll())).isEqualTo(expected(1000, 4096));
            assertThat(tiny.enospcRetries()).as("the kernel said ENOSPC at least once").isPositive();
            assertThat(tiny.capacity()).isGreaterThanOrEqualTo(4096);
            assertThat(tiny.batchSupported()).isTrue();
        }
    }

    @Test
    void manyEntriesThroughTheDefaultBuffer() throws BpfException {
        try (BpfMaps.Owned owned = BpfMaps.create(MapType.HASH, "many", 8, 8, 100_000)) {
            fill(owned.map(), 0, 100_000);
            assertThat(asMap(owned.map().readAll())).isEqualTo(expected(0, 100_000));
            assertThat(asMap(owned.map().readKeyByKey())).isEqualTo(expected(0, 100_000));
        }
    }

    @Test
    void perCpuHashValuesHaveOneSlotPerCpu() throws BpfException {
        try (BpfMaps.Owned owned = BpfMaps.create(MapType.PERCPU_HASH, "percpu", 8, 8, 256)) {
            BpfMap map = owned.map();
            int cpus = map.cpus();
            assertThat(map.valueStride()).isEqualTo(8 * cpus);
            for (long key = 1; key <= 100; key++) {
                long[] perCpu = new long[cpus];
                for (int cpu = 0; cpu < cpus; cpu++) {
                    perCpu[cpu] = key * 100 + cpu;
                }
                map.update(u64s(key), u64s(perCpu), NO_FLAGS);
            }
            for (MapEntries entries : new MapEntries[] {map.readAll(), map.readKeyByKey()}) {
                assertThat(entries.count()).isEqualTo(100);
                assertThat(entries.cpus()).isEqualTo(cpus);
                ByteBuffer keys = ByteBuffer.wrap(entries.keys()).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < entries.count(); i++) {
                    long key = keys.getLong(i * 8);
                    long sum = 0;
                    for (int cpu = 0; cpu < cpus; cpu++) {
                        assertThat(entries.u64(i, cpu)).isEqualTo(key * 100 + cpu);
                        sum += key * 100 + cpu;
                    }
                    assertThat(entries.u64Sum(i)).isEqualTo(sum);
                }
            }
        }
    }

    @Test
    void perCpuValuesSmallerThanEightBytesAreEightByteAlignedPerCpu() throws BpfException {
        try (BpfMaps.Owned owned = BpfMaps.create(MapType.PERCPU_ARRAY, "percpu_u32", 4, 4, 4)) {
            BpfMap map = owned.map();
            int cpus = map.cpus();
            assertThat(map.valueSlot()).isEqualTo(8);
            long[] perCpu = new long[cpus];
            for (int cpu = 0; cpu < cpus; cpu++) {
                perCpu[cpu] = 0x1_0000_0000L * 0 + (cpu + 7); // u32 in the low half of each 8-byte slot
            }
            map.update(u32s(2), u64s(perCpu), NO_FLAGS);
            MapEntries entries = map.readAll();
            assertThat(entries.count()).isEqualTo(4);
            ByteBuffer keys = ByteBuffer.wrap(entries.keys()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 4; i++) {
                int key = keys.getInt(i * 4);
                for (int cpu = 0; cpu < cpus; cpu++) {
                    long low = entries.u64(i, cpu) & 0xffff_ffffL;
                    assertThat(low).isEqualTo(key == 2 ? cpu + 7 : 0);
                }
            }
        }
    }

    @Test
    void arrayMapsReadEveryIndexThroughSeveralBatches() throws BpfException {
        try (BpfMaps.Owned owned = BpfMaps.create(MapType.ARRAY, "array", 4, 8, 100)) {
            BpfMap map = owned.map();
            map.useReader(new MapReader(map, 7, false)); // 100 is no multiple of 7: a short last batch
            int[] keys = new int[100];
            long[] values = new long[100];
            for (int i = 0; i < 100; i++) {
                keys[i] = i;
                values[i] = i * 3L;
            }
            BpfMaps.updateBatch(map, u32s(keys), u64s(values), 100, NO_FLAGS);
            MapEntries entries = map.readAll();
            assertThat(entries.count()).isEqualTo(100);
            ByteBuffer keyBytes = ByteBuffer.wrap(entries.keys()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 100; i++) {
                assertThat(keyBytes.getInt(i * 4)).isEqualTo(i);
                assertThat(entries.u64Sum(i)).isEqualTo(i * 3L);
            }
        }
    }

    @Test
    void keysDeletedAndInsertedWhileReadingNeverFailOrRepeat() throws Exception {
        readWhileMutating(false);
    }

    @Test
    void keyByKeyWalkSurvivesDeletionsToo() throws Exception {
        readWhileMutating(true);
    }

    /**
     * Keys [0, 5000) never change; keys [5000, 10000) are deleted and re-inserted by another thread
     * as fast as it can. Every read must succeed, hold no key twice, hold every stable key with its
     * value, and hold only keys that exist.
     */
    private static void readWhileMutating(boolean keyByKey) throws Exception {
        try (BpfMaps.Owned owned = BpfMaps.create(MapType.HASH, "churn", 8, 8, 10_000)) {
            BpfMap map = owned.map();
            map.useReader(new MapReader(map, keyByKey ? 1024 : 16, keyByKey));
            fill(map, 0, 10_000);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> mutatorFailure = new AtomicReference<>();
            AtomicLong mutations = new AtomicLong();
            Thread mutator = Thread.ofPlatform().start(() -> {
                try {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (!stop.get()) {
                        long key = 5000 + random.nextInt(5000);
                        map.delete(u64s(key));
                        if (random.nextBoolean()) {
                            map.update(u64s(key), u64s(key * 10), NO_FLAGS);
                        }
                        mutations.incrementAndGet();
                    }
                } catch (Throwable t) {
                    mutatorFailure.set(t);
                }
            });
            try {
                int reads = keyByKey ? 30 : 300;
                for (int read = 0; read < reads; read++) {
                    Map<Long, Long> seen = asMap(map.readAll());
                    // A get-next-key walk restarts from the first bucket whenever the key it stands on
                    // is deleted, so under heavy churn it cannot promise to reach every key (the
                    // reference's method has the same limit); batch reads can, bucket by bucket.
                    if (!keyByKey) {
                        for (long k = 0; k < 5000; k++) {
                            assertThat(seen.get(k)).as("stable key %d in read %d", k, read).isEqualTo(k * 10);
                        }
                    }
                    seen.forEach((k, v) -> {
                        assertThat(k).isBetween(0L, 9999L);
                        assertThat(v).isEqualTo(k * 10);
                    });
                }
            } finally {
                stop.set(true);
                mutator.join();
            }
            assertThat(mutatorFailure.get()).isNull();
            assertThat(mutations.get()).as("the mutator ran during the reads").isPositive();
        }
    }

    @Test
    void mapTypesWithoutBatchSupportFallBackToKeyByKey() throws BpfException {
        // Stack trace maps have no batch operations (ENOTSUPP); user space cannot write them, so it reads empty.
        try (BpfMaps.Owned owned = BpfMaps.create(MapType.STACK_TRACE, "stacks", 4, 8 * 127, 64)) {
            BpfMap map = owned.map();
            assertThat(map.readAll().count()).isZero();
            assertThat(map.reader().batchSupported()).isFalse();
            assertThat(map.readAll().count()).isZero(); // second read goes straight to key by key
        }
    }

    @Test
    void forcedKeyByKeyReadsTheSameAsBatch() throws BpfException {
        try (BpfMaps.Owned owned = BpfMaps.create(MapType.HASH, "forced", 8, 8, 5000)) {
            BpfMap map = owned.map();
            fill(map, 7, 3000);
            Map<Long, Long> batch = asMap(map.readAll());
            map.useReader(new MapReader(map, 4, true)); // tiny buffer: key by key must grow it too
            assertThat(map.reader().batchSupported()).isFalse();
            assertThat(asMap(map.readAll())).isEqualTo(batch).isEqualTo(expected(7, 3000));
        }
    }

    @Test
    void concurrentReadersOfOneMapEachGetEverything() throws Exception {
        try (BpfMaps.Owned owned = BpfMaps.create(MapType.HASH, "shared", 8, 8, 20_000)) {
            BpfMap map = owned.map();
            fill(map, 0, 20_000);
            Map<Long, Long> want = expected(0, 20_000);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Set<Thread> threads = new HashSet<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < 20; i++) {
                            assertThat(asMap(map.readAll())).isEqualTo(want);
                        }
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(failure.get()).isNull();
        }
    }
}
