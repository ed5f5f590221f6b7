package dev.ebpfexporter.metrics;

import dev.ebpfexporter.platform.Architecture;
import dev.ebpfexporter.bpf.MapEntries;
import dev.ebpfexporter.config.BucketType;
import dev.ebpfexporter.config.CounterConfig;
import dev.ebpfexporter.config.DecoderConfig;
import dev.ebpfexporter.config.HistogramConfig;
import dev.ebpfexporter.config.LabelConfig;
import dev.ebpfexporter.config.Source;
import dev.ebpfexporter.decoder.DecoderRegistry;
import dev.ebpfexporter.decoder.KernelLookups;
import dev.ebpfexporter.exposition.ByteBuf;
import dev.ebpfexporter.exposition.Family;
import dev.ebpfexporter.exposition.Format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Builders for metric configs and hand-made map contents, and text rendering of snapshots. */
final class Fixtures {
    static final DecoderFactory DECODERS =
            new DecoderRegistry(KernelLookups.under(Path.of("/nonexistent"), Architecture.X86_64))::create;

    private Fixtures() {
    }

    static LabelConfig label(String name, int size, int padding, DecoderConfig... decoders) {
        return new LabelConfig(name, size, padding, List.of(decoders), new Source(Path.of("test.yaml"), 1));
    }

    static LabelConfig uint(String name, int size) {
        return label(name, size, 0, DecoderConfig.named("uint"));
    }

    static DecoderConfig staticMap(Map<String, String> map) {
        return new DecoderConfig("static_map", map, List.of(), false, Source.NONE);
    }

    static CounterConfig counter(String name, LabelConfig... labels) {
        return new CounterConfig(name, name, "help of " + name, List.of(labels), false, Duration.ZERO,
                new Source(Path.of("test.yaml"), 3));
    }

    static HistogramConfig histogram(BucketType type, double multiplier, int min, int max, List<Double> keys,
                                     LabelConfig... labels) {
        return new HistogramConfig("latency_seconds", "latency_seconds", "help", type, multiplier, min, max, keys,
                List.of(labels), new Source(Path.of("test.yaml"), 5));
    }

    /** Map contents from (key bytes, per-CPU u64 values) pairs. */
    static MapEntries entries(int keySize, int cpus, List<Map.Entry<byte[], long[]>> rows) {
        ByteBuffer keys = ByteBuffer.allocate(rows.size() * keySize);
        ByteBuffer values = ByteBuffer.allocate(rows.size() * 8 * cpus).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<byte[], long[]> row : rows) {
            keys.put(row.getKey());
            for (long value : row.getValue()) {
                values.putLong(value);
            }
        }
        return new MapEntries(rows.size(), keySize, 8, 8, cpus, keys.array(), values.array());
    }

    static Map.Entry<byte[], long[]> row(byte[] key, long... perCpu) {
        return Map.entry(key, perCpu);
    }

    /** Little-endian key bytes from (value, size) pairs laid out in order. */
    static byte[] key(long... valueSizePairs) {
        int total = 0;
        for (int i = 1; i < valueSizePairs.length; i += 2) {
            total += (int) valueSizePairs[i];
        }
        ByteBuffer key = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < valueSizePairs.length; i += 2) {
            long value = valueSizePairs[i];
            for (int b = 0; b < valueSizePairs[i + 1]; b++) {
                key.put((byte) (value >>> (8 * b)));
            }
        }
        return key.array();
    }

    /** A family as the exporter writes it in the Prometheus text format. */
    static String text(Family family) {
        ByteBuf out = new ByteBuf(1024);
        Format.TEXT.write(List.of(family), out);
        return out.toString();
    }
}
