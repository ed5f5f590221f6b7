package dev.ebpfexporter.platform;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The architectures the exporter runs on, one row each, holding every number and name that differs between them.
 * The row is chosen by the exact value of the JVM's {@code os.arch}; a value no row lists is refused at start-up
 * ({@link #refusal(String)}), never guessed from a substring.
 *
 * @param osArch          the values of {@code os.arch} that mean this architecture
 * @param unameMachine    what {@code uname -m} prints, and the name in the syscall table's resource
 * @param btfArchiveArch  the directory name of the public BTF archives ({@code <os>/<version>/<arch>/})
 * @param bpfTargetArch   {@code __TARGET_ARCH_<this>} for bpf_tracing.h's register macros
 * @param hostArch        OpenTelemetry's {@code host.arch} value (its semantic conventions' name)
 * @param nrPerfEventOpen {@code __NR_perf_event_open}
 * @param nrSeccomp       {@code __NR_seccomp}: glibc has no wrapper, and prctl's form of it cannot reach every thread
 * @param oDirectory      {@code O_DIRECTORY}: x86_64 uses asm-generic's value, arm64 its own (as 32-bit arm)
 * @param vaListSize      bytes of a {@code va_list} object (a struct on both); copying it is va_copy
 */
public enum Architecture {
    X86_64(List.of("amd64", "x86_64"), "x86_64", "x86_64", "x86", "amd64", 298, 317, 0x10000, 24),
    AARCH64(List.of("aarch64"), "aarch64", "arm64", "arm64", "arm64", 241, 277, 0x4000, 32);

    private final List<String> osArch;
    private final String unameMachine;
    private final String btfArchiveArch;
    private final String bpfTargetArch;
    private final String hostArch;
    private final long nrPerfEventOpen;
    private final long nrSeccomp;
    private final int oDirectory;
    private final long vaListSize;

    Architecture(List<String> osArch, String unameMachine, String btfArchiveArch, String bpfTargetArch,
                 String hostArch, long nrPerfEventOpen, long nrSeccomp, int oDirectory, long vaListSize) {
        this.osArch = osArch;
        this.unameMachine = unameMachine;
        this.btfArchiveArch = btfArchiveArch;
        this.bpfTargetArch = bpfTargetArch;
        this.hostArch = hostArch;
        this.nrPerfEventOpen = nrPerfEventOpen;
        this.nrSeccomp = nrSeccomp;
        this.oDirectory = oDirectory;
        this.vaListSize = vaListSize;
    }

    /** The row whose {@code os.arch} values list this one exactly. */
    public static Optional<Architecture> of(String osArch) {
        return Arrays.stream(values()).filter(a -> a.osArch.contains(osArch)).findFirst();
    }

    /** This JVM's architecture; start-up has refused the others ({@link #refusal}), so this does not throw there. */
    public static Architecture current() {
        return Current.ARCH;
    }

    /** The one line that refuses an {@code os.arch} no row lists, or empty when one does. */
    public static Optional<String> refusal(String osArch) {
        if (of(osArch).isPresent()) {
            return Optional.empty();
        }
        return Optional.of("unsupported architecture: os.arch is \"" + osArch + "\"; supported: "
                + Arrays.stream(values()).map(a -> a.unameMachine + " (" + String.join(", ", a.osArch) + ")")
                .collect(Collectors.joining(", ")));
    }

    public String unameMachine() {
        return unameMachine;
    }

    public String btfArchiveArch() {
        return btfArchiveArch;
    }

    public String bpfTargetArch() {
        return bpfTargetArch;
    }

    public String hostArch() {
        return hostArch;
    }

    public long nrPerfEventOpen() {
        return nrPerfEventOpen;
    }

    public long nrSeccomp() {
        return nrSeccomp;
    }

    public int oDirectory() {
        return oDirectory;
    }

    public long vaListSize() {
        return vaListSize;
    }

    /** {@code syscalls-<uname -m>.txt}: the syscall number-to-name table the {@code syscall} decoder reads. */
    public String syscallTable() {
        return "syscalls-" + unameMachine + ".txt";
    }

    /** Looked up on first use; an unknown value fails here with the refusal's line. */
    private static final class Current {
        private static final Architecture ARCH = lookUp(System.getProperty("os.arch"));

        private static Architecture lookUp(String osArch) {
            return of(osArch).orElseThrow(() -> new IllegalStateException(refusal(osArch).orElseThrow()));
        }
    }
}
