package dev.ebpfexporter.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gate for tests that load real BPF. Under CI (CI=true) a machine that cannot load BPF is a
 * failure, never a skip; elsewhere (a laptop without root) the test is skipped with a loud message.
 */
public final class BpfAvailability {
    private static final Path VMLINUX_BTF = Path.of("/sys/kernel/btf/vmlinux");

    private BpfAvailability() {
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Call first in every test that loads BPF. */
    public static void require() {
        String problem = problem();
        requireThat(problem == null, "BPF is not usable here: " + problem);
    }

    /**
     * A precondition of a test that needs the real machine (root, kallsyms addresses, pci.ids):
     * failing under CI, a loud skip elsewhere.
     */
    public static void requireThat(boolean condition, String what) {
        if (condition) {
            return;
        }
        if (inCi()) {
            Assertions.fail("CI=true and " + what);
        }
        String banner = "\n*** SKIPPING TEST: " + what + " (set CI=true to make this a failure) ***\n";
        System.err.println(banner);
        Assumptions.abort(banner);
    }

    private static String problem() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not running as root (BPF needs CAP_BPF/CAP_SYS_ADMIN)";
        }
        if (!Files.exists(VMLINUX_BTF)) {
            return VMLINUX_BTF + " is missing (kernel without BTF)";
        }
        return null;
    }

    /** The repository root (set by the build), for examples/ and the launcher. */
    public static Path projectRoot() {
        String root = System.getenv("EBPF_EXPORTER_ROOT");
        return root != null ? Path.of(root) : Path.of("").toAbsolutePath();
    }

    public static Path examples() {
        return projectRoot().resolve("examples");
    }
}
