package dev.ebpfexporter.kernelmatrix;

import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel matrix: boots each Debian kernel once under QEMU (scripts/kernel-vm.sh), runs
 * {@link GuestMatrix} inside it on this very build, and asserts that every cell the kernel supports
 * attached and moved its metric, and that every cell it does not support did not attach and said
 * why. Writes the table to target/kernel-matrix/kernel-matrix.md. Run with
 * {@code ./mvnw verify -Pkernel-matrix} (kernels: {@code -Dkernel.matrix.kernels=a,b/suite}).
 */
@Tag("kernel-matrix")
class KernelMatrixTest {
    private static final Path ROOT = BpfAvailability.projectRoot();
    private static final Path OUT = ROOT.resolve("target/kernel-matrix");
    private static final Path CACHE = Path.of(Optional.ofNullable(System.getenv("KERNEL_VM_CACHE"))
            .orElse("/var/cache/ebpf-exporter/kernels"));
    private static final Map<String, Map<String, String>> TABLE = new LinkedHashMap<>();
    private static final Map<String, Long> SECONDS = new LinkedHashMap<>();

    static Stream<String> kernels() {
        // The pom's kernel.matrix.kernels (its one default list), passed by the kernel-matrix profile.
        String kernels = System.getProperty("kernel.matrix.kernels");
        if (kernels == null) {
            throw new IllegalStateException("kernel.matrix.kernels is not set: run ./mvnw verify -Pkernel-matrix");
        }
        return Stream.of(kernels.split(",")).map(String::strip).filter(k -> !k.isEmpty());
    }

    @ParameterizedTest
    @MethodSource("kernels")
    @Timeout(value = 40, unit = TimeUnit.MINUTES)
    void everySupportedCellAttachesAndMoves(String kernel) throws Exception {
        BpfAvailability.require();
        Path out = OUT.resolve(kernel.replace('/', '_'));
        Files.createDirectories(out);
        Files.deleteIfExists(out.resolve("results.tsv"));
        String command = "EBPF_EXPORTER_ROOT=" + ROOT + " " + Path.of(System.getProperty("java.home"), "bin", "java")
                + " --enable-native-access=ALL-UNNAMED -cp " + classPath() + " " + GuestMatrix.class.getName() + " " + out;
        long started = System.nanoTime();
        // The JDK's JIT-compiled code has been seen to die of SIGSEGV under QEMU's TCG emulation (in
        // java.base, not in our code or libbpf) in one of several runs; such a crash of the guest JVM
        // boots the kernel again (twice at most), and the table says so.
        int exit = runGuest(kernel, out, command);
        int jvmCrashes = 0;
        while (jvmCrashes < 2 && exit == 134 && Files.readString(out.resolve("output.txt")).contains(JVM_CRASH)) {
            jvmCrashes++;
            System.out.println("[" + kernel + "] the guest JVM crashed (exit 134, hs_err above): booting again");
            Files.copy(out.resolve("output.txt"), out.resolve("output-jvm-crash-" + jvmCrashes + ".txt"),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(out.resolve("results.tsv"));
            exit = runGuest(kernel, out, command);
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000;
        BpfAvailability.requireThat(exit != 125 && exit != 2, "the guest kernel " + kernel
                + " did not boot or run the matrix (scripts/kernel-vm.sh exit " + exit + ")");
        assertThat(exit).as("GuestMatrix exit status in %s", kernel).isZero();

        String release = Files.readString(out.resolve("kernel.txt")).strip();
        KernelSupport support = KernelSupport.read(kernelConfig(release),
                GuestFacts.parse(Files.readAllLines(out.resolve("facts.tsv"))));
        List<CellResult> results = Files.readAllLines(out.resolve("results.tsv")).stream().filter(l -> !l.isBlank())
                .map(CellResult::parse).toList();
        Map<String, String> column = new LinkedHashMap<>();
        if (jvmCrashes > 0) {
            column.put("guest JVM crashed under TCG, kernel booted again", jvmCrashes + " time(s)");
        }
        List<String> failures = new ArrayList<>();
        for (CellResult result : results) {
            Optional<String> missing = support.missing(result.cell());
            String verdict;
            if (missing.isPresent() && support.attachesButCannotMove(result.cell())) {
                // The hook exists but the event does not reach it: attached, and it must not move.
                boolean ok = !Boolean.TRUE.equals(result.moved());
                verdict = ok ? "unsupported (" + missing.get() + "): attached, does not move"
                        : "FAIL: moved although " + missing.get();
                if (!ok) {
                    failures.add(result.cell() + ": " + verdict);
                }
            } else if (missing.isPresent()) {
                boolean ok = Boolean.FALSE.equals(result.attached());
                verdict = (ok ? "unsupported (" + missing.get() + "): not attached, " + reason(result.detail())
                        : "FAIL: attached although " + missing.get());
                if (!ok) {
                    failures.add(result.cell() + ": " + verdict);
                }
            } else {
                boolean ok = !Boolean.FALSE.equals(result.attached()) && Boolean.TRUE.equals(result.moved());
                String what = result.attached() == null ? "ok" : "attached, moved";
                verdict = ok ? what + " (" + result.detail() + ")" : "FAIL: " + result.line().replace('\t', ' ');
                if (!ok) {
                    failures.add(result.cell() + ": " + result.detail());
                }
            }
            column.put(result.cell(), verdict);
        }
        String name = release + " (" + kernel + ")";
        TABLE.put(name, column);
        SECONDS.put(name, seconds);
        assertThat(results).as("cells reported by the guest").extracting(CellResult::cell)
                .contains("tp", "kprobe", "fentry", "lsm", "--config.check")
                .containsAll(GuestTests.EXAMPLES.keySet().stream().map(e -> "example " + e).toList());
        assertThat(failures).as("cells that failed in %s", release).isEmpty();
    }

    private static final String JVM_CRASH = "A fatal error has been detected by the Java Runtime Environment";

    /** Boots {@code kernel}, runs {@code command} in it, echoes and keeps its output; returns the exit status. */
    static int runGuest(String kernel, Path out, String command) throws Exception {
        Process vm = new ProcessBuilder(ROOT.resolve("scripts/kernel-vm.sh").toString(), "--out", out.toString(), kernel,
                command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        // Line by line through System.out (surefire's channel), and kept beside the results.
        Thread echo = Thread.ofPlatform().daemon().start(() -> {
            try (var lines = vm.inputReader().lines(); var log = Files.newBufferedWriter(out.resolve("output.txt"))) {
                lines.forEach(line -> {
                    System.out.println("[" + kernel + "] " + line);
                    try {
                        log.write(line);
                        log.newLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!vm.waitFor(35, TimeUnit.MINUTES)) {
            vm.destroyForcibly();
        }
        echo.join(10_000);
        return vm.isAlive() ? -1 : vm.exitValue();
    }

    @AfterAll
    static void writeTable() throws IOException {
        if (TABLE.isEmpty()) {
            return;
        }
        List<String> kernels = new ArrayList<>(TABLE.keySet());
        List<String> cells = TABLE.values().stream().flatMap(c -> c.keySet().stream()).distinct().toList();
        StringBuilder md = new StringBuilder("| cell | " + String.join(" | ", kernels) + " |\n|---|");
        md.append("---|".repeat(kernels.size())).append('\n');
        for (String cell : cells) {
            md.append("| `").append(cell).append("` |");
            for (String kernel : kernels) {
                md.append(' ').append(TABLE.get(kernel).getOrDefault(cell, "not run").replace("|", "\\|")).append(" |");
            }
            md.append('\n');
        }
        md.append("| boot, load, trigger, scrape, check, strict, power off |");
        for (String kernel : kernels) {
            md.append(' ').append(SECONDS.get(kernel)).append(" s |");
        }
        md.append('\n');
        Files.createDirectories(OUT);
        Files.writeString(OUT.resolve("kernel-matrix.md"), md);
        System.out.println("\nkernel matrix (" + OUT.resolve("kernel-matrix.md") + "):\n" + md);
    }

    /** The kernel's own words from an attach error (after the program and section). */
    private static String reason(String detail) {
        int failed = detail.lastIndexOf(" failed: ");
        return failed < 0 ? detail : detail.substring(failed + " failed: ".length());
    }

    /** This JVM's class path and module path, as one class path for the guest's JVM (same files, read over 9p). */
    static String classPath() {
        List<String> entries = new ArrayList<>();
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property, "");
            for (String entry : value.split(File.pathSeparator)) {
                if (!entry.isBlank() && Files.exists(Path.of(entry)) && !entries.contains(entry)) {
                    entries.add(entry);
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The build config shipped in the kernel's package, unpacked by scripts/kernel-vm.sh. */
    private static Path kernelConfig(String release) throws IOException {
        try (Stream<Path> packages = Files.list(CACHE)) {
            return packages.map(p -> p.resolve("root/boot/config-" + release)).filter(Files::exists).findFirst()
                    .orElseThrow(() -> new AssertionError("no config-" + release + " under " + CACHE));
        }
    }
}
