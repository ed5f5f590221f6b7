package dev.ebpfexporter.bpf.link;

import dev.ebpfexporter.bpf.SectionType;

import java.util.Optional;

/**
 * One row of {@link AttachKinds}: programs whose section starts with {@code prefix} attach through
 * {@code attacher}.
 *
 * @param unknownToLibbpf the program and attach type to register with libbpf, for a prefix libbpf does not know
 * @param inline          how the inline (v1) config format names this kind; empty when it cannot
 * @param typedArguments  the program's context holds the probed function's arguments ({@code struct pt_regs}
 *                        at a function's entry), so BCC's extra typed arguments after {@code ctx} apply
 * @param tracefs         attaching goes through tracefs ({@code events/<category>/<event>/id}), which must be mounted
 */
public record AttachKind(String prefix, Attacher attacher, Optional<SectionType> unknownToLibbpf,
                         Optional<InlineForm> inline, boolean typedArguments, boolean tracefs) {

    /** A prefix libbpf knows and attaches itself ({@code bpf_program__attach}). */
    static AttachKind libbpf(String prefix) {
        return new AttachKind(prefix, LibbpfAttach::attach, Optional.empty(), Optional.empty(), false, false);
    }

    boolean matches(String section) {
        return section.startsWith(prefix);
    }

    AttachKind withAttacher(Attacher replacement) {
        return new AttachKind(prefix, replacement, unknownToLibbpf, inline, typedArguments, tracefs);
    }

    AttachKind withUnknownToLibbpf(int programType, int attachType) {
        return new AttachKind(prefix, attacher, Optional.of(new SectionType(prefix, programType, attachType)), inline,
                typedArguments, tracefs);
    }

    AttachKind withInline(InlineForm form) {
        return new AttachKind(prefix, attacher, unknownToLibbpf, Optional.of(form), typedArguments, tracefs);
    }

    AttachKind withTypedArguments() {
        return new AttachKind(prefix, attacher, unknownToLibbpf, inline, true, tracefs);
    }

    AttachKind withTracefs() {
        return new AttachKind(prefix, attacher, unknownToLibbpf, inline, typedArguments, true);
    }
}
