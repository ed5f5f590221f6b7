package dev.ebpfexporter.btf;

import dev.ebpfexporter.platform.Architecture;
import dev.ebpfexporter.testing.BtfArchives;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --btf.path}: a file, an archive directory ({@code <id>/<version>/<arch>/<release>.btf[.tar.xz]}) and the
 * one-line refusals, each naming the path. Archives are made by GNU tar in its formats and compressed with xz.
 */
class BtfResolverTest {
    private static final String RELEASE = "6.1.0-41-amd64";
    private static final RunningKernel DEBIAN_12 =
            new RunningKernel(Optional.of("debian"), Optional.of("12"), Architecture.X86_64, RELEASE);

    @TempDir
    Path dir;

    @Test
    void withoutTheFlagTheKernelsOwnIsUsedAndNotPassedToLibbpf() throws BtfException {
        KernelBtf btf = resolver(Optional.empty()).resolve();
        assertThat(btf.file()).isEqualTo(Path.of("/sys/kernel/btf/vmlinux"));
        assertThat(btf.customPath()).isEmpty();
    }

    @Test
    void aBtfFileIsUsedAsItIs() throws Exception {
        Path file = btf(dir.resolve("vmlinux.btf"));
        try (KernelBtf btf = resolver(Optional.of(file)).resolve()) {
            assertThat(btf.customPath()).contains(file);
            assertThat(btf.picked()).isEqualTo(file.toString());
        }
        assertThat(file).exists();
    }

    @Test
    void aMissingPathIsOneLineNamingIt() {
        Path missing = dir.resolve("nope.btf");
        assertThatThrownBy(() -> resolver(Optional.of(missing)).resolve()).isInstanceOf(BtfException.class)
                .hasMessage(missing + ": no such file or directory");
    }

    @Test
    void aFileThatIsNotBtfIsOneLineNamingIt() throws IOException {
        Path notBtf = Files.write(dir.resolve("vmlinux"), "ELF or anything else".getBytes());
        assertThatThrownBy(() -> resolver(Optional.of(notBtf)).resolve()).isInstanceOf(BtfException.class)
                .hasMessage(notBtf + ": not a BTF file (it does not start with BTF's magic 0xeB9F)");
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertThatThrownBy(() -> resolver(Optional.of(empty)).resolve())
                .hasMessage(empty + ": not a BTF file (it does not start with BTF's magic 0xeB9F)");
    }

    @Test
    void aDirectoryGivesThisKernelsPlainFile() throws Exception {
        Path kernelDir = Files.createDirectories(dir.resolve("debian/12/x86_64"));
        Path plain = btf(kernelDir.resolve(RELEASE + ".btf"));
        btf(kernelDir.resolve("6.1.0-40-amd64.btf"));
        btf(Files.createDirectories(dir.resolve("debian/11/x86_64")).resolve(RELEASE + ".btf"));
        try (KernelBtf btf = resolver(Optional.of(dir)).resolve()) {
            assertThat(btf.customPath()).contains(plain);
            assertThat(btf.extracted()).isEmpty();
        }
        assertThat(plain).exists();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gnu", "pax", "ustar"})
    void aDirectoryGivesThisKernelsFileExtractedFromItsTarXzAndRemovedOnClose(String format) throws Exception {
        Path kernelDir = Files.createDirectories(dir.resolve("debian/12/x86_64"));
        byte[] content = btfBytes(70_000);
        // A long member name: GNU tar writes it as a ././@LongLink record, pax as a path record, ustar with a prefix.
        String member = "x".repeat(90) + "/" + RELEASE + ".btf";
        Path source = Files.createDirectories(dir.resolve("src/" + "x".repeat(90))).resolve(RELEASE + ".btf");
        Files.write(source, content);
        Files.write(dir.resolve("src/README"), "another member first".getBytes());
        BtfArchives.tarXz(dir.resolve("src"), List.of("README", member), format, kernelDir.resolve(RELEASE + ".btf.tar.xz"));
        Path extractTo = Files.createDirectory(dir.resolve("tmp"));

        KernelBtf btf = new BtfResolver(Optional.of(dir), DEBIAN_12, extractTo).resolve();
        Path extracted = btf.customPath().orElseThrow();
        assertThat(extracted.getParent()).isEqualTo(extractTo);
        assertThat(btf.extracted()).contains(extracted);
        assertThat(Files.readAllBytes(extracted)).isEqualTo(content);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(extracted))).isEqualTo("rw-------");
        assertThat(btf.picked()).startsWith(kernelDir.resolve(RELEASE + ".btf.tar.xz") + " (" + RELEASE + ".btf");
        btf.close();
        assertThat(extracted).doesNotExist();
        btf.close();
    }

    @Test
    void aDirectoryWithoutThisKernelSaysWhichPathsWereLookedFor() throws IOException {
        Path kernelDir = Files.createDirectories(dir.resolve("debian/12/x86_64"));
        btf(kernelDir.resolve("6.1.0-40-amd64.btf"));
        assertThatThrownBy(() -> resolver(Optional.of(dir)).resolve()).isInstanceOf(BtfException.class)
                .hasMessage(dir + ": no BTF for this kernel: looked for " + kernelDir.resolve(RELEASE + ".btf")
                        + " and " + kernelDir.resolve(RELEASE + ".btf.tar.xz"));
    }

    @Test
    void arm64IsLookedForUnderTheArchivesName() {
        RunningKernel arm = new RunningKernel(Optional.of("ubuntu"), Optional.of("22.04"), Architecture.AARCH64,
                "5.15.0-1-generic");
        assertThatThrownBy(() -> new BtfResolver(Optional.of(dir), arm, dir).resolve())
                .hasMessageContaining(dir.resolve("ubuntu/22.04/arm64/5.15.0-1-generic.btf").toString());
    }

    @Test
    void anOsReleaseWithoutVersionIdCannotPickFromADirectory() {
        RunningKernel sid = new RunningKernel(Optional.of("debian"), Optional.empty(), Architecture.X86_64, RELEASE);
        assertThatThrownBy(() -> new BtfResolver(Optional.of(dir), sid, dir).resolve())
                .hasMessage(dir + ": a BTF archive directory is looked up by os-release's VERSION_ID, and this"
                        + " machine's os-release (ID=debian) has none; pass --btf.path with this kernel's BTF file instead");
    }

    @Test
    void aTarXzWithoutTheFileOrThatIsNotXzIsOneLineAndLeavesNothingBehind() throws Exception {
        Path kernelDir = Files.createDirectories(dir.resolve("debian/12/x86_64"));
        Files.createDirectories(dir.resolve("src"));
        Files.write(dir.resolve("src/other.btf"), btfBytes(100));
        Path archive = kernelDir.resolve(RELEASE + ".btf.tar.xz");
        BtfArchives.tarXz(dir.resolve("src"), List.of("other.btf"), "gnu", archive);
        Path extractTo = Files.createDirectory(dir.resolve("tmp"));
        assertThatThrownBy(() -> new BtfResolver(Optional.of(dir), DEBIAN_12, extractTo).resolve())
                .hasMessage(archive + ": has no " + RELEASE + ".btf inside");

        Files.write(archive, "not xz".getBytes());
        assertThatThrownBy(() -> new BtfResolver(Optional.of(dir), DEBIAN_12, extractTo).resolve())
                .hasMessageStartingWith(archive + ": cannot extract " + RELEASE + ".btf: ")
                .message().doesNotContain("\n");

        Files.write(dir.resolve("src/" + RELEASE + ".btf"), "not BTF inside".getBytes());
        BtfArchives.tarXz(dir.resolve("src"), List.of(RELEASE + ".btf"), "gnu", archive);
        assertThatThrownBy(() -> new BtfResolver(Optional.of(dir), DEBIAN_12, extractTo).resolve())
                .hasMessage(archive + ": " + RELEASE + ".btf: not a BTF file (it does not start with BTF's magic 0xeB9F)");
        try (var left = Files.list(extractTo)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void theRunningKernelIsReadFromOsReleaseAndTheKernelRelease() throws IOException {
        Path osRelease = Files.writeString(dir.resolve("os-release"), """
                PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
                NAME="Debian GNU/Linux"
                VERSION_ID="12"
                ID=debian
                """);
        Path release = Files.writeString(dir.resolve("osrelease"), RELEASE + "\n");
        RunningKernel kernel = RunningKernel.read(List.of(dir.resolve("missing"), osRelease), release, Architecture.X86_64);
        assertThat(kernel).isEqualTo(DEBIAN_12);
        assertThat(RunningKernel.field(List.of("VERSION_ID='22.04'"), "VERSION_ID")).contains("22.04");
        assertThat(RunningKernel.read(List.of(dir.resolve("missing")), release, Architecture.X86_64).osId()).isEmpty();
    }

    private BtfResolver resolver(Optional<Path> flag) {
        return new BtfResolver(flag, DEBIAN_12, dir);
    }

    /** A file that starts as BTF does (the little-endian magic, version 1): all the resolver reads of it. */
    private static Path btf(Path file) throws IOException {
        return Files.write(file, btfBytes(64));
    }

    private static byte[] btfBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        bytes[0] = (byte) 0x9f;
        bytes[1] = (byte) 0xeb;
        bytes[2] = 1;
        return bytes;
    }
}
