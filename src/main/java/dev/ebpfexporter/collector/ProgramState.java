package dev.ebpfexporter.collector;

import dev.ebpfexporter.bpf.link.BpfLink;
import dev.ebpfexporter.bpf.BpfProgram;

import java.util.Optional;

/**
 * A loaded program and how attaching it went.
 *
 * @param link  present when attached
 * @param error the kernel's reason when not attached
 */
public record ProgramState(BpfProgram program, int id, String tag, Optional<BpfLink> link, Optional<String> error) {
    public boolean attached() {
        return link.isPresent();
    }

    /** Excluded from its object because the kernel refused to load it (it has no kernel id). */
    public boolean refusedAtLoad() {
        return id == 0;
    }
}
