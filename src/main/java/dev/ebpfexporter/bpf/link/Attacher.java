package dev.ebpfexporter.bpf.link;

import dev.ebpfexporter.bpf.BpfProgram;
import dev.ebpfexporter.bpf.sys.BpfException;

/** Attaches a loaded program to the hook its section names; one per section prefix in {@link AttachKinds}. */
@FunctionalInterface
public interface Attacher {
    BpfLink attach(BpfProgram program) throws BpfException;
}
