package dev.ebpfexporter.decoder;

import dev.ebpfexporter.platform.Architecture;
import dev.ebpfexporter.testing.BpfAvailability;

import static dev.ebpfexporter.decoder.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ebpfexporter.config.DecoderConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyscallDecoderTest {
    private static String decode(Architecture arch, String number) throws Exception {
        KernelLookups lookups = KernelLookups.under(Fixtures.ROOT, arch);
        return text(new DecoderRegistry(lookups).create(DecoderConfig.named("syscall"), -1).decode(text(number)));
    }

    /** x86_64 and arm64 tables; numbers a table lacks are unknown_syscall, negative ones as unsigned. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            X86_64  | 0   | read
            X86_64  | 1   | write
            X86_64  | 293 | pipe2
            X86_64  | 447 | memfd_secret
            X86_64  | 461 | lsm_list_modules
            AARCH64 | 0   | io_setup
            AARCH64 | 1   | io_destroy
            AARCH64 | 63  | read
            AARCH64 | 79  | newfstatat
            AARCH64 | 293 | rseq
            AARCH64 | 447 | memfd_secret
            X86_64  | 400 | unknown_syscall:400
            AARCH64 | 250 | unknown_syscall:250
            X86_64  | -1  | unknown_syscall:18446744073709551615
            """)
    void namesSyscallsByArchitecture(Architecture arch, String number, String expected) throws Exception {
        assertThat(decode(arch, number)).isEqualTo(expected);
    }

    @Test
    void failsOnTextThatIsNotANumber() {
        assertThatThrownBy(() -> decode(Architecture.X86_64, "read")).isInstanceOf(DecoderException.class);
    }

    @Test
    void runningArchitectureHasATable() throws Exception {
        assertThat(text(DecoderRegistry.forSystem().create(DecoderConfig.named("syscall"), -1).decode(text("0"))))
                .isEqualTo(Architecture.current() == Architecture.X86_64 ? "read" : "io_setup");
    }

    @Test
    void x86_64TableAgreesWithThisMachinesKernelHeaders() throws Exception {
        Path header = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
        BpfAvailability.requireThat(Files.exists(header), "x86_64 kernel headers not installed");
        Matcher define = Pattern.compile("#define __NR_(\\w+) (\\d+)").matcher(readString(header));
        int checked = 0;
        while (define.find()) {
            assertThat(decode(Architecture.X86_64, define.group(2))).isEqualTo(define.group(1));
            checked++;
        }
        assertThat(checked).isGreaterThan(350);
    }

    private static String readString(Path path) throws IOException {
        return Files.readString(path);
    }
}
