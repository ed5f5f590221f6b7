package dev.ebpfexporter.collector;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Programs of one config that stand in for each other. A config written for kernels with and without
 * BPF trampolines carries {@code fentry/F} beside {@code kprobe/F} (and {@code fexit/F} beside
 * {@code kretprobe/F}); whichever of a pair the kernel takes does the work (the bundled
 * {@code fsync-latency} is such a config). So a program of a pair that the kernel refuses, or that does
 * not attach, is no failure of the config while the other one attached; and one refused at load is a
 * program that did not attach rather than a refused object, since the config was written expecting
 * that refusal on some kernels.
 */
final class Fallbacks {
    /** Section prefix of a trampoline program → the prefix of the kprobe program that does its job. */
    private static final Map<String, String> STAND_IN = Map.of("fentry/", "kprobe/", "fexit/", "kretprobe/");

    private Fallbacks() {
    }

    /** The other programs of {@code programs} that do the job of {@code program}, or whose job it does. */
    static List<ProgramState> of(ProgramState program, List<ProgramState> programs) {
        return of(program, programs, p -> p.program().section());
    }

    /** The first of the programs that do its job and attached. */
    static Optional<ProgramState> attachedInstead(ProgramState program, List<ProgramState> programs) {
        return of(program, programs).stream().filter(ProgramState::attached).findFirst();
    }

    /** Like {@link #of(ProgramState, List)} for anything with a section. */
    static <T> List<T> of(T program, List<T> programs, Function<T, String> section) {
        String own = section.apply(program);
        return programs.stream().filter(other -> other != program)
                .filter(other -> standsIn(own, section.apply(other)) || standsIn(section.apply(other), own))
                .toList();
    }

    /** Whether {@code kprobe} is the kprobe-family section that does the job of the trampoline {@code section}. */
    static boolean standsIn(String section, String kprobe) {
        for (var pair : STAND_IN.entrySet()) {
            if (section.startsWith(pair.getKey()) && section.length() > pair.getKey().length()
                    && kprobe.equals(pair.getValue() + section.substring(pair.getKey().length()))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the object has a program whose section does the job of {@code section}, from sections alone. */
    static Optional<String> standInSection(String section, List<String> sections) {
        return sections.stream().filter(other -> standsIn(section, other)).findFirst();
    }
}
