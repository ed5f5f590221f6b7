package dev.ebpfexporter.bcc;

import dev.ebpfexporter.btf.KernelBtf;
import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The inline format reads the kernel's types from the BTF it is given ({@code --btf.path}'s pick), not sysfs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClangToolchainBtfTest {

    @Test
    void vmlinuxHeaderAndCacheKeyComeFromTheGivenBtfFile(@TempDir Path dir) throws Exception {
        BpfAvailability.requireThat(Files.exists(KernelBtf.SYSFS), "kernel BTF at " + KernelBtf.SYSFS);
        byte[] btf = Files.readAllBytes(KernelBtf.SYSFS);
        Path copy = Files.write(dir.resolve("vmlinux.btf"), btf);
        ClangToolchain toolchain = ClangToolchain.system(copy);
        assertThat(toolchain.btfIdentity())
                .isEqualTo(HexFormat.of().formatHex(ClangToolchain.sha256().digest(btf)).substring(0, 16));

        Path header = toolchain.vmlinuxHeaderDir(Files.createDirectory(dir.resolve("cache"))).resolve("vmlinux.h");
        assertThat(Files.readString(header)).contains("struct task_struct {");

        // Another file is other types: another cache key, another vmlinux.h directory.
        Path other = Files.write(dir.resolve("other.btf"), java.util.Arrays.copyOf(btf, btf.length + 1));
        assertThat(ClangToolchain.system(other).btfIdentity()).isNotEqualTo(toolchain.btfIdentity());
    }
}
