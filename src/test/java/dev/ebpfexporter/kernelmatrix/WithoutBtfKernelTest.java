package dev.ebpfexporter.kernelmatrix;

import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kernel without BTF: boots Debian 12's 6.1 (the matrix's first kernel, cached) once, hides its
 * {@code /sys/kernel/btf/vmlinux} and runs {@link GuestWithoutBtf} there: CO-RE configs fail with one line without
 * {@code --btf.path}, and load and count with {@code --btf.path} naming a copy of the kernel's BTF, as a file and
 * as an archive directory holding it as {@code .btf.tar.xz}. Writes the cells to
 * target/kernel-matrix/without-btf/results.tsv. Runs with {@code ./mvnw verify -Pkernel-matrix}.
 */
@Tag("kernel-matrix")
class WithoutBtfKernelTest {
    private static final String KERNEL = "linux-image-amd64";

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void coreConfigsLoadAndCountWithBtfPathAndSayWhatToPassWithout() throws Exception {
        BpfAvailability.require();
        Path root = BpfAvailability.projectRoot();
        Path out = root.resolve("target/kernel-matrix/without-btf");
        Files.createDirectories(out);
        Files.deleteIfExists(out.resolve("results.tsv"));
        String command = "EBPF_EXPORTER_ROOT=" + root + " " + Path.of(System.getProperty("java.home"), "bin", "java")
                + " --enable-native-access=ALL-UNNAMED -cp " + KernelMatrixTest.classPath() + " "
                + GuestWithoutBtf.class.getName() + " " + out;
        long started = System.nanoTime();
        int exit = KernelMatrixTest.runGuest(KERNEL, out, command);
        long seconds = (System.nanoTime() - started) / 1_000_000_000;
        BpfAvailability.requireThat(exit != 125 && exit != 2, "the guest kernel " + KERNEL
                + " did not boot or run the test (scripts/kernel-vm.sh exit " + exit + ")");
        assertThat(exit).as("GuestWithoutBtf exit status").isZero();
        List<CellResult> cells = Files.readAllLines(out.resolve("results.tsv")).stream().filter(l -> !l.isBlank())
                .map(CellResult::parse).toList();
        System.out.println("without BTF in " + Files.readString(out.resolve("kernel.txt")).strip() + ", " + seconds
                + " s from boot to power off:");
        cells.forEach(c -> System.out.println("  " + c.line().replace('\t', ' ')));
        assertThat(cells).extracting(CellResult::cell).containsExactly("/sys/kernel/btf/vmlinux hidden",
                "no --btf.path: --config.check", "--btf.path DIR (" + Files.readString(out.resolve("kernel.txt")).strip()
                        + ".btf.tar.xz)", "--btf.path FILE");
        assertThat(cells).allSatisfy(c -> {
            assertThat(c.moved()).as(c.line()).isTrue();
            assertThat(c.attached()).as(c.line()).isNotEqualTo(Boolean.FALSE);
        });
    }
}
