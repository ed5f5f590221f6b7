package dev.ebpfexporter.bpf;

/**
 * A section prefix libbpf does not know, with the program and attach type it stands for
 * ({@code enum bpf_prog_type}, {@code enum bpf_attach_type}). {@link BpfObject#open} registers each with
 * libbpf before the object opens, so libbpf gives such programs the right type; attaching them stays ours.
 */
public record SectionType(String prefix, int programType, int attachType) {
}
