package dev.ebpfexporter.platform;

import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The architecture table: chosen by the exact {@code os.arch}, other values refused in one line, and each row's
 * numbers checked against sources that do not come from the table: the syscall tables generated from the kernel's
 * headers, asm-generic's fcntl.h, clang's {@code va_list} for each target, and the examples' Makefile.
 */
class ArchitectureTest {

    @Test
    void rowsAreChosenByTheExactOsArch() {
        assertThat(Architecture.of("amd64")).contains(Architecture.X86_64);
        assertThat(Architecture.of("x86_64")).contains(Architecture.X86_64);
        assertThat(Architecture.of("aarch64")).contains(Architecture.AARCH64);
    }

    /** The old substring test took the first two for arm64 and everything else for x86_64. */
    @ParameterizedTest
    @ValueSource(strings = {"aarch64_be", "not-aarch64", "riscv64", "s390x", "ppc64le", "x86", "i386", "arm", ""})
    void anyOtherValueIsRefusedInOneLine(String osArch) {
        assertThat(Architecture.of(osArch)).isEmpty();
        assertThat(Architecture.refusal(osArch)).contains("unsupported architecture: os.arch is \"" + osArch
                + "\"; supported: x86_64 (amd64, x86_64), aarch64 (aarch64)");
    }

    @Test
    void theRunningJvmHasARow() {
        assertThat(Architecture.refusal(System.getProperty("os.arch"))).isEmpty();
        assertThat(Architecture.current()).isEqualTo(Architecture.of(System.getProperty("os.arch")).orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void syscallNumbersAgreeWithTheGeneratedSyscallTable(Architecture arch) throws IOException {
        Map<String, Long> numbers = syscallTable(arch);
        assertThat(numbers.get("perf_event_open")).isEqualTo(arch.nrPerfEventOpen());
        assertThat(numbers.get("seccomp")).isEqualTo(arch.nrSeccomp());
    }

    @Test
    void x86_64sODirectoryIsAsmGenericsOne() throws IOException {
        Path header = Path.of("/usr/include/asm-generic/fcntl.h");
        BpfAvailability.requireThat(Files.exists(header), "kernel headers (linux-libc-dev)");
        Matcher define = Pattern.compile("#define O_DIRECTORY\\s+(0[0-7]+)").matcher(Files.readString(header));
        assertThat(define.find()).isTrue();
        assertThat(Architecture.X86_64.oDirectory()).isEqualTo(Integer.parseInt(define.group(1), 8));
        // arm64's own (arch/arm64/include/uapi/asm/fcntl.h, not installed on an x86_64 host): 040000.
        assertThat(Architecture.AARCH64.oDirectory()).isEqualTo(040000);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void vaListSizeIsClangsForTheTarget(Architecture arch) throws Exception {
        Process clang = new ProcessBuilder("clang", "-target", arch.unameMachine() + "-linux-gnu", "-S", "-emit-llvm",
                "-o", "-", "-x", "c", "-").redirectErrorStream(true).start();
        try (var in = clang.getOutputStream()) {
            in.write("unsigned long s = sizeof(__builtin_va_list);\n".getBytes(StandardCharsets.US_ASCII));
        }
        String ir = new String(clang.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(clang.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Matcher size = Pattern.compile("@s = .*global i64 (\\d+)").matcher(ir);
        assertThat(size.find()).as(ir).isTrue();
        assertThat(arch.vaListSize()).isEqualTo(Long.parseLong(size.group(1)));
    }

    @Test
    void theExamplesMakefileHasTheSameTargetArchitectures() throws IOException {
        String makefile = Files.readString(BpfAvailability.projectRoot().resolve("examples/Makefile"));
        Matcher row = Pattern.compile("(?m)^TARGET_ARCH_(\\w+) := (\\w+)$").matcher(makefile);
        Map<String, String> rows = new HashMap<>();
        while (row.find()) {
            rows.put(row.group(1), row.group(2));
        }
        Map<String, String> table = new HashMap<>();
        for (Architecture arch : Architecture.values()) {
            table.put(arch.unameMachine(), arch.bpfTargetArch());
        }
        assertThat(rows).isEqualTo(table);
    }

    /** The BTF archives and OpenTelemetry's semantic conventions name the architectures their own ways. */
    @Test
    void otherProjectsNamesForTheRows() {
        assertThat(List.of(Architecture.values()).stream().map(Architecture::btfArchiveArch))
                .containsExactly("x86_64", "arm64");
        assertThat(List.of(Architecture.values()).stream().map(Architecture::hostArch))
                .containsExactly("amd64", "arm64");
    }

    private static Map<String, Long> syscallTable(Architecture arch) throws IOException {
        Map<String, Long> numbers = new HashMap<>();
        try (InputStream in = Architecture.class.getResourceAsStream("/dev/ebpfexporter/decoder/" + arch.syscallTable())) {
            assertThat(in).as(arch.syscallTable()).isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] numberName = line.trim().split(" ", 2);
                    numbers.put(numberName[1], Long.parseLong(numberName[0]));
                }
            }
        }
        return numbers;
    }
}
