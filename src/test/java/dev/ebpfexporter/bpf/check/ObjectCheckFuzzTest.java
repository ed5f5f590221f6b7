package dev.ebpfexporter.bpf.check;

import dev.ebpfexporter.bpf.sys.BpfException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing the object checks (jqwik; tries from {@code jqwik.tries.default}, see docs/safety.md): real
 * compiled objects (the bundled examples and the test programs), damaged where libbpf reads (ELF header,
 * section table, {@code .BTF}, {@code .BTF.ext}) and anywhere, by values libbpf follows, random words,
 * bit flips, truncation and inserted bytes. {@link ObjectFileCheck} must accept the copy or refuse it
 * with one line naming it, within 5 seconds; any other exception is a finding. (What passes the check
 * goes through libbpf in {@code DamagedObjectSweepTest}.)
 */
class ObjectCheckFuzzTest {
    private static final Path ROOT = Path.of(System.getenv().getOrDefault("EBPF_EXPORTER_ROOT", ".")).toAbsolutePath();
    private static final List<Seed> SEEDS = seeds();
    private static final int[] INTERESTING = {0, 1, -1, 0x7fffffff, 0x80000000, 0x10000, 0xffff, 0x7ff, 24, 0x1000000};

    /** A real object and where in it libbpf reads most: [start, end) ranges of header, sections, BTF, BTF.ext. */
    record Seed(String name, byte[] bytes, List<int[]> regions) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** One damage: which region (or the whole file), where in it, what kind, and a value. */
    record Damage(int region, double at, int kind, int value) {
        byte[] apply(Seed seed, byte[] in) {
            int[] range = region < seed.regions().size() ? seed.regions().get(region) : new int[]{0, in.length};
            int start = Math.min(range[0], in.length);
            int end = Math.min(range[1], in.length);
            int pos = start + (int) (at * Math.max(0, end - start));
            if (in.length == 0) {
                return in;
            }
            pos = Math.min(pos, in.length - 1) & ~3;
            byte[] out = in.clone();
            ByteBuffer buffer = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
            switch (kind) {
                case 0 -> {
                    if (pos + 4 <= out.length) {
                        buffer.putInt(pos, INTERESTING[Math.floorMod(value, INTERESTING.length)]);
                    }
                }
                case 1 -> {
                    if (pos + 4 <= out.length) {
                        buffer.putInt(pos, value);
                    }
                }
                case 2 -> out[pos + Math.floorMod(value, Math.min(4, out.length - pos))] ^= (byte) (1 << Math.floorMod(value, 8));
                case 3 -> out[pos] = (byte) value;
                case 4 -> {
                    return Arrays.copyOf(out, pos);
                }
                default -> {
                    byte[] longer = new byte[out.length + 4];
                    System.arraycopy(out, 0, longer, 0, pos);
                    ByteBuffer.wrap(longer).order(ByteOrder.LITTLE_ENDIAN).putInt(pos, value);
                    System.arraycopy(out, pos, longer, pos + 4, out.length - pos);
                    return longer;
                }
            }
            return out;
        }
    }

    private static List<Seed> seeds() {
        List<Seed> seeds = new ArrayList<>();
        for (Path dir : List.of(ROOT.resolve("examples"), ROOT.resolve("src/test/bpf"))) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".bpf.o")).sorted().toList()) {
                    byte[] bytes = Files.readAllBytes(file);
                    seeds.add(new Seed(dir.getFileName() + "/" + file.getFileName(), bytes, regions(bytes)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (seeds.size() < 10) {
            throw new IllegalStateException("expected the compiled examples and test programs, found " + seeds);
        }
        return List.copyOf(seeds);
    }

    /** The ELF header, the section table, and the .BTF and .BTF.ext sections of a well-formed object. */
    static List<int[]> regions(byte[] bytes) {
        ByteBuffer elf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int shoff = (int) elf.getLong(0x28);
        int shentsize = elf.getShort(0x3a) & 0xffff;
        int shnum = elf.getShort(0x3c) & 0xffff;
        int shstrndx = elf.getShort(0x3e) & 0xffff;
        List<int[]> regions = new ArrayList<>(List.of(new int[]{0, 64}, new int[]{shoff, shoff + shnum * shentsize}));
        int names = (int) elf.getLong(shoff + shstrndx * shentsize + 0x18);
        for (int i = 0; i < shnum; i++) {
            int header = shoff + i * shentsize;
            int nameAt = names + elf.getInt(header);
            int nameEnd = nameAt;
            while (bytes[nameEnd] != 0) {
                nameEnd++;
            }
            String name = new String(bytes, nameAt, nameEnd - nameAt, StandardCharsets.US_ASCII);
            if (name.equals(".BTF") || name.equals(".BTF.ext")) {
                int offset = (int) elf.getLong(header + 0x18);
                regions.add(new int[]{offset, offset + (int) elf.getLong(header + 0x20)});
            }
        }
        return regions;
    }

    @Provide
    Arbitrary<Seed> objects() {
        return Arbitraries.of(SEEDS);
    }

    @Provide
    Arbitrary<List<Damage>> damages() {
        Arbitrary<Damage> damage = Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 5), Arbitraries.integers()).as(Damage::new);
        return damage.list().ofMinSize(1).ofMaxSize(4);
    }

    @Property
    void aDamagedObjectPassesOrIsRefusedInOneLine(@ForAll("objects") Seed seed, @ForAll("damages") List<Damage> damages) {
        byte[] bytes = seed.bytes();
        for (Damage damage : damages) {
            bytes = damage.apply(seed, bytes);
        }
        String name = "/fuzz/" + seed.name();
        long start = System.nanoTime();
        try {
            ObjectFileCheck.check(name, bytes);
        } catch (BpfException e) {
            assertThat(e.getMessage()).startsWith(name + ": damaged BPF object: ").doesNotContain("\n");
        }
        assertThat((System.nanoTime() - start) / 1e9).as("seconds to check").isLessThan(5.0);
    }

    @Property(tries = 20)
    void everySeedPassesUndamaged(@ForAll("objects") Seed seed) throws BpfException {
        ObjectFileCheck.check(seed.name(), seed.bytes());
        assertThat(seed.regions()).hasSizeGreaterThanOrEqualTo(3);
    }
}
