package dev.ebpfexporter.bpf.check;

import dev.ebpfexporter.bpf.BpfObject;
import dev.ebpfexporter.bpf.link.AttachKinds;
import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.testing.BpfAvailability;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged copies of a real object go through the whole open and load path in this JVM: values
 * that libbpf follows (0x7fffffff, 0xffffffff, 0x10000) written over ELF header, section table,
 * symbol table, BTF and BTF.ext words, bit flips and truncations. Each ends in a loaded object or
 * a one-line error naming the file; a libbpf crash would kill the test JVM and fail the build.
 * (The 2004 word positions of timers.bpf.o times 7 damage kinds were swept once by hand; this keeps
 * a representative, seeded sample.)
 */
class DamagedObjectSweepTest {
    private static final int[] VALUES = {0x7fffffff, 0xffffffff, 0x10000};
    private static final int PER_VALUE = 45;

    @BeforeEach
    void needsBpf() {
        BpfAvailability.require();
    }

    @Test
    void theObjectThatCrashedLibbpfIsRefusedBeforeLibbpfOpensIt() {
        Path file = BpfAvailability.projectRoot().resolve(ObjectFileCheckTest.SEGV_IN_LIBBPF);
        var outcome = openAndLoad(file);
        assertThat(outcome).isEqualTo(file + ": damaged BPF object: .BTF: type 11 member 0 refers to type 2147483647,"
                + " there are 32 types");
    }

    @Test
    void everyDamagedCopyLoadsOrFailsInOneLine(@TempDir Path dir) throws Exception {
        byte[] original = Files.readAllBytes(BpfAvailability.examples().resolve("timers.bpf.o"));
        List<byte[]> damaged = damage(original, new Random(10));
        int refused = 0;
        int loaded = 0;
        Path file = dir.resolve("damaged.bpf.o");
        for (byte[] copy : damaged) {
            Files.write(file, copy);
            String outcome = openAndLoad(file);
            if (outcome.equals("loaded")) {
                loaded++;
            } else {
                assertThat(outcome).startsWith(file + ": ").doesNotContain("\n");
                refused++;
            }
        }
        assertThat(damaged).hasSizeGreaterThan(150).hasSizeLessThan(222);
        assertThat(refused).isGreaterThan(damaged.size() / 4);
        assertThat(loaded).isPositive();
    }

    /** "loaded", or the one-line error of open or load. */
    private static String openAndLoad(Path file) {
        try (BpfObject object = BpfObject.open(file, Optional.empty(), AttachKinds.sectionTypes())) {
            object.load();
            return "loaded";
        } catch (BpfException e) {
            return e.getMessage().startsWith(file.toString()) ? e.getMessage() : file + ": " + e.getMessage();
        }
    }

    /** The seeded sample: word overwrites in the parsed structures, bit flips anywhere, truncations. */
    static List<byte[]> damage(byte[] original, Random random) {
        List<Integer> words = structureWords(original);
        List<byte[]> result = new ArrayList<>();
        for (int value : VALUES) {
            for (int i = 0; i < PER_VALUE; i++) {
                byte[] copy = original.clone();
                int at = words.get(random.nextInt(words.size()));
                ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
                result.add(copy);
            }
        }
        for (int i = 0; i < 25; i++) {
            byte[] copy = original.clone();
            int at = words.get(random.nextInt(words.size())) + random.nextInt(4);
            copy[at] ^= (byte) (1 << random.nextInt(8));
            result.add(copy);
        }
        for (int i = 0; i < 10; i++) {
            result.add(Arrays.copyOf(original, random.nextInt(original.length)));
        }
        return result;
    }

    /** Word offsets of the ELF header, the section table, .symtab, .BTF and .BTF.ext. */
    private static List<Integer> structureWords(byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> words = new ArrayList<>();
        addWords(words, 0, 64);
        int shoff = (int) b.getLong(0x28);
        int shnum = Short.toUnsignedInt(b.getShort(0x3c));
        addWords(words, shoff, shnum * 64);
        for (int i = 0; i < shnum; i++) {
            int at = shoff + i * 64;
            if (b.getInt(at + 4) == 2) { // SHT_SYMTAB
                addWords(words, (int) b.getLong(at + 0x18), (int) b.getLong(at + 0x20));
            }
        }
        for (String section : List.of(".BTF", ".BTF.ext")) {
            int start = ObjectFileCheckTest.sectionOffset(elf, section);
            addWords(words, start, ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).getInt(start + 4) + 256);
        }
        return words;
    }

    private static void addWords(List<Integer> words, int start, int length) {
        for (int at = start; at + 4 <= start + length; at += 4) {
            words.add(at);
        }
    }
}
