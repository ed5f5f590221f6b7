package dev.ebpfexporter.testing;

import dev.ebpfexporter.collector.LoadedConfig;
import dev.ebpfexporter.collector.ProgramState;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on whether a config's programs attached, for examples that need kernel features. */
public final class Attachment {
    /** The reason a kprobe cannot attach on a kernel without kprobes, as the exporter words it. */
    public static final String NO_KPROBES = "this kernel has no kprobes";
    /** The reason of a program the kernel refused at load (e.g. fentry where it is not allowed). */
    public static final String REFUSED = "refused by the kernel at load";

    private Attachment() {
    }

    public static LoadedConfig config(InProcessExporter exporter, String name) {
        List<LoadedConfig> matching = exporter.configs().stream().filter(c -> c.name().equals(name)).toList();
        assertThat(matching).as("config %s loaded", name).hasSize(1);
        return matching.getFirst();
    }

    public static ProgramState program(LoadedConfig config, String name) {
        return config.programs().stream().filter(p -> p.program().name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no program " + name + " in " + config.name()));
    }

    /** Not attached, with one line naming the program and saying why (one of {@code reasons}). */
    public static void assertNotAttachedBecause(ProgramState program, String... reasons) {
        String name = program.program().name();
        assertThat(program.attached()).as("%s attached", name).isFalse();
        assertThat(program.error()).as("%s: reason", name).hasValueSatisfying(error -> {
            assertThat(error).doesNotContain("\n");
            assertThat(error).containsAnyOf(reasons);
        });
    }

    /**
     * For a config of kprobes only: its programs are exactly {@code programs}; where the kernel has
     * kprobes every one attached (true), where it has none every one says so (false).
     */
    public static boolean kprobesAttached(LoadedConfig config, String... programs) {
        assertThat(config.programs()).extracting(p -> p.program().name()).containsExactlyInAnyOrder(programs);
        if (!KernelFeatures.kprobes()) {
            config.programs().forEach(p -> assertNotAttachedBecause(p, NO_KPROBES));
            return false;
        }
        config.programs().forEach(Attachment::assertAttached);
        return true;
    }

    /** Attached, with no error. */
    public static void assertAttached(ProgramState program) {
        assertThat(program.attached()).as("%s attached (%s)", program.program().name(), program.error().orElse(""))
                .isTrue();
    }
}
