package dev.ebpfexporter.bpf.check;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.testing.BpfAvailability;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The structural check that runs before libbpf sees an object file: each damage it must catch is
 * named in one line, and every bundled example passes it unchanged.
 */
class ObjectFileCheckTest {
    /**
     * timers.bpf.o with the type of the first member of BTF type 11 set to 0x7fffffff: libbpf 1.1
     * dies with SIGSEGV in bpf_object__open on this file (exit 139 from a C program that only opens it).
     */
    static final Path SEGV_IN_LIBBPF = Path.of("src/test/resources/damaged-objects/timers-btf-member-type-7fffffff.bpf.o");

    @Test
    void theObjectThatCrashedLibbpfIsRefusedInOneLine() {
        Path file = BpfAvailability.projectRoot().resolve(SEGV_IN_LIBBPF);
        assertThatThrownBy(() -> ObjectFileCheck.read(file))
                .isInstanceOf(BpfException.class)
                .hasMessage(file + ": damaged BPF object: .BTF: type 11 member 0 refers to type 2147483647,"
                        + " there are 32 types");
    }

    /**
     * Typedef 9 of typedef 8 of typedef 9: libbpf follows such chains without a step limit. The same
     * damage (one bit of a typedef's type id in biolatency.bpf.o) kept bpf_object__load spinning for
     * 19 minutes until killed.
     */
    @Test
    void aLoopOfTypedefsIsRefused() {
        Path file = BpfAvailability.projectRoot().resolve("src/test/resources/damaged-objects/timers-btf-typedef-loop.bpf.o");
        assertThatThrownBy(() -> ObjectFileCheck.read(file))
                .hasMessage(file + ": damaged BPF object: .BTF: type 8 refers to itself through a chain of types");
    }

    @Test
    void everyBundledObjectPasses() throws Exception {
        try (var files = Files.list(BpfAvailability.examples())) {
            var objects = files.filter(f -> f.toString().endsWith(".bpf.o")).toList();
            assertThat(objects).hasSizeGreaterThan(10);
            long cold = System.nanoTime();
            for (Path object : objects) {
                ObjectFileCheck.read(object);
            }
            long warm = System.nanoTime();
            for (Path object : objects) {
                ObjectFileCheck.read(object);
            }
            long end = System.nanoTime();
            System.out.printf("ObjectFileCheck: %d bundled objects in %d ms cold, %d ms warm%n", objects.size(),
                    (warm - cold) / 1_000_000, (end - warm) / 1_000_000);
        }
    }

    @Test
    void refusesWhatIsNotARegularFile(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ObjectFileCheck.read(dir))
                .hasMessage(dir + ": not a regular file");
        Path fifo = dir.resolve("fifo.bpf.o");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThatThrownBy(() -> ObjectFileCheck.read(fifo)).hasMessage(fifo + ": not a regular file");
        assertThatThrownBy(() -> ObjectFileCheck.read(Path.of("/dev/zero"))).hasMessage("/dev/zero: not a regular file");
        assertThatThrownBy(() -> ObjectFileCheck.read(dir.resolve("missing.bpf.o")))
                .hasMessage(dir.resolve("missing.bpf.o") + ": no such BPF object file");
    }

    @Test
    void namesTheDamagedField() throws IOException {
        byte[] timers = Files.readAllBytes(BpfAvailability.examples().resolve("timers.bpf.o"));
        assertThatThrownBy(() -> ObjectFileCheck.check("t.o", Arrays.copyOf(timers, 40)))
                .hasMessage("t.o: damaged BPF object: 40 bytes, shorter than an ELF header");
        assertThatThrownBy(() -> ObjectFileCheck.check("t.o", Arrays.copyOf(timers, 4000)))
                .hasMessageStartingWith("t.o: damaged BPF object: section table at ")
                .hasMessageEndingWith(" is outside the file's 4000 bytes");
        byte[] notElf = timers.clone();
        notElf[1] = 'X';
        assertThatThrownBy(() -> ObjectFileCheck.check("t.o", notElf)).hasMessage("t.o: damaged BPF object: no ELF magic");

        byte[] btfHeader = timers.clone();
        int btf = sectionOffset(timers, ".BTF");
        ByteBuffer.wrap(btfHeader).order(ByteOrder.LITTLE_ENDIAN).putInt(btf + 20, 0x7fffffff); // str_len
        assertThatThrownBy(() -> ObjectFileCheck.check("t.o", btfHeader))
                .hasMessageStartingWith("t.o: damaged BPF object: .BTF: types at 0 (")
                .hasMessageContaining("(2147483647 bytes) do not fit its ");
    }

    /** File offset of a section's contents, found through the section table. */
    static int sectionOffset(byte[] elf, String name) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        int shoff = (int) b.getLong(0x28);
        int shnum = Short.toUnsignedInt(b.getShort(0x3c));
        int names = (int) b.getLong(shoff + Short.toUnsignedInt(b.getShort(0x3e)) * 64 + 0x18);
        for (int i = 0; i < shnum; i++) {
            int at = shoff + i * 64;
            int nameAt = names + b.getInt(at);
            int end = nameAt;
            while (elf[end] != 0) {
                end++;
            }
            if (new String(elf, nameAt, end - nameAt).equals(name)) {
                return (int) b.getLong(at + 0x18);
            }
        }
        throw new IllegalArgumentException("no section " + name);
    }
}
