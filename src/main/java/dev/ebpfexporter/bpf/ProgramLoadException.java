package dev.ebpfexporter.bpf;

import dev.ebpfexporter.bpf.sys.BpfException;

import java.util.List;

/** Loading an object failed because the kernel refused some of its programs (named here). */
public final class ProgramLoadException extends BpfException {
    private final List<String> programs;

    ProgramLoadException(String message, int errno, List<String> programs) {
        super(message, errno);
        this.programs = List.copyOf(programs);
    }

    /** Names of the programs the kernel refused. */
    public List<String> programs() {
        return programs;
    }
}
