package dev.ebpfexporter.bcc;

import dev.ebpfexporter.bpf.link.AttachKinds;

/**
 * Where the YAML says to attach one function of the program.
 *
 * @param function the C function named in the YAML
 * @param section  the libbpf section that makes libbpf attach it there ({@code tp/timer/timer_start})
 * @param yamlLine the YAML line of the entry, for errors
 */
public record AttachPoint(String function, String section, int yamlLine) {

    /**
     * Whether the program receives a {@code struct pt_regs *} at a function's entry (kprobes, uprobes): the only
     * kinds with BCC's extra typed arguments ({@link AttachKinds} says which).
     */
    public boolean takesRegisters() {
        return AttachKinds.of(section).typedArguments();
    }
}
