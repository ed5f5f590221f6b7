package dev.ebpfexporter.metrics;

import dev.ebpfexporter.decoder.DecoderException;
import dev.ebpfexporter.decoder.SkipKeyException;
import io.prometheus.metrics.model.snapshots.Labels;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decodes raw map keys into label sets, once per distinct key: results are cached by the key's
 * bytes, so ksym/cgroup/majorminor lookups do not run on every scrape. Keys that left the map are
 * evicted after the scrape that no longer saw them. Failed decodes are not cached (a cgroup that
 * appears later must decode then); each failure counts a decoder error.
 */
final class KeyDecoder {
    private final KeyLayout layout;
    private final List<LabelChain> chains;
    private final String[] names;
    private final boolean bucketLast;
    private final LongAdder decoderErrors;
    private final ConcurrentHashMap<ByteRegion, DecodedKey> cache = new ConcurrentHashMap<>();
    private final ThreadLocal<ByteRegion> probe = ThreadLocal.withInitial(ByteRegion::probe);
    private final AtomicLong generation = new AtomicLong();
    private final DroppedKeys dropped = new DroppedKeys();

    /**
     * @param bucketLast the last label is a histogram bucket index: decoded to a number, not exposed
     */
    KeyDecoder(KeyLayout layout, List<LabelChain> chains, boolean bucketLast, LongAdder decoderErrors) {
        this.layout = layout;
        this.chains = List.copyOf(chains);
        this.bucketLast = bucketLast;
        this.decoderErrors = decoderErrors;
        int exposed = bucketLast ? chains.size() - 1 : chains.size();
        this.names = new String[exposed];
        for (int i = 0; i < exposed; i++) {
            names[i] = chains.get(i).name();
        }
    }

    /** Starts a scrape; pass the result to {@link #decode} and {@link #evictOlderThan}. */
    long nextGeneration() {
        return generation.incrementAndGet();
    }

    /** Decodes the key at {@code keys[offset..]}, or returns null when it is dropped. */
    DecodedKey decode(byte[] keys, int offset, long scrape) {
        DecodedKey decoded = lookup(keys, offset, scrape);
        return decoded == null || decoded.isSkipped() ? null : decoded;
    }

    /**
     * The cached (or freshly decoded) key at {@code keys[offset..]}: {@link DecodedKey#isSkipped()}
     * when a decoder dropped it, null when decoding failed (counted, and tried again next time).
     */
    DecodedKey lookup(byte[] keys, int offset, long scrape) {
        ByteRegion region = probe.get().set(keys, offset, layout.keySize());
        DecodedKey decoded = cache.get(region);
        if (decoded == null) {
            decoded = decodeUncached(keys, offset);
            if (decoded == null) {
                return null;
            }
            DecodedKey raced = cache.putIfAbsent(region.copy(), decoded);
            if (raced != null) {
                decoded = raced;
            }
        }
        if (decoded.lastSeen < scrape) {
            decoded.lastSeen = scrape;
        }
        return decoded;
    }

    private DecodedKey decodeUncached(byte[] keys, int offset) {
        String[] values = new String[names.length];
        double bucket = Double.NaN;
        int i = 0;
        try {
            for (; i < chains.size(); i++) {
                String value = chains.get(i).decode(keys, offset + layout.offsets()[i], layout.size(i));
                if (bucketLast && i == chains.size() - 1) {
                    bucket = parseBucket(value);
                } else {
                    values[i] = value;
                }
            }
        } catch (SkipKeyException skip) {
            // A decoder chose to drop this key: not a failure, its reason is noted for the once-per-metric warning.
            dropped.dropped(chains.get(i).label(), skip.getMessage());
            return DecodedKey.skipped();
        } catch (DecoderException | NumberFormatException e) {
            // Counted in ebpf_exporter_decoder_errors_total: a log line per key would flood on every scrape.
            decoderErrors.increment();
            return null;
        }
        dropped.kept();
        return new DecodedKey(names.length == 0 ? Labels.EMPTY : Labels.of(names, values), bucket);
    }

    /** At the end of a scrape (or of a flush of event counts): says once if every key so far was dropped. */
    void afterScrape() {
        dropped.afterScrape();
    }

    private static double parseBucket(String value) {
        return Double.parseDouble(value.trim());
    }

    /** Drops cached keys not seen by any scrape since {@code scrape} (the one just finished, minus slack). */
    void evictOlderThan(long scrape) {
        cache.values().removeIf(key -> key.lastSeen < scrape);
    }

    /**
     * Like {@link #evictOlderThan} after a scrape that met {@code distinctSeen} cached keys: when the
     * cache holds no more than that, nothing can have left and the walk over the cache is skipped.
     * Called once at the end of every scrape, it is also where {@link #afterScrape()} runs.
     */
    void evictUnseen(long scrape, int distinctSeen) {
        afterScrape();
        if (cache.size() > distinctSeen) {
            evictOlderThan(scrape);
        }
    }

    int cachedKeys() {
        return cache.size();
    }
}
