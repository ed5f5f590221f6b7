package dev.ebpfexporter.bpf.sys;

import dev.ebpfexporter.testing.MappedLibbpf;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The libbpf this process runs is the build's 1.5.0 from target/native/ (with the libelf.so.1 beside it), as
 * {@code /proc/self/maps} shows it, and no other copy of libbpf or libelf (the host's libbpf.so.1.1.2, say)
 * is mapped; it says so through {@link LibbpfVersion}.
 */
class OurLibbpfMappedTest {
    @Test
    void theMappedLibbpfIsOurs150AndNoHostCopyIsMapped() throws Exception {
        LibbpfVersion libbpf = LibbpfVersion.loaded();
        Path ours = NativeLibraries.find(LibBpf.LIBRARY).orElseThrow().toRealPath();
        assertThat(ours.getFileName()).hasToString("libbpf.so.1.5.0");
        assertThat(ours.getParent().getFileName()).hasToString("native");
        assertThat(libbpf.file()).isEqualTo(ours);
        assertThat(libbpf.version()).isEqualTo("1.5");
        assertThat(libbpf).hasToString("libbpf 1.5 (" + ours + ")");
        MappedLibbpf.assertOurs(Path.of("/proc/self/maps"), ours.getParent());
    }
}
