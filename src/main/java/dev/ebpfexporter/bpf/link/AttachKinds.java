package dev.ebpfexporter.bpf.link;

import dev.ebpfexporter.bpf.BpfProgram;
import dev.ebpfexporter.bpf.SectionType;
import dev.ebpfexporter.bpf.sys.BpfException;

import java.util.List;
import java.util.Optional;

/**
 * The one table of attach kinds: which section prefix attaches how, which prefixes libbpf must be taught,
 * how the inline (v1) config format names each kind, and what BCC's rewriter and the loader need to know
 * about it. A new attach kind is one row here (plus its {@link Attacher} when libbpf cannot attach it).
 * The first row whose prefix starts the section wins; a section no row names is left to libbpf's own
 * automatic attach ({@code tp_btf/}, {@code fentry/}, {@code raw_tp/}, ...).
 *
 * <p>The rows with an inline form are listed in the order the inline format attaches its entries
 * (which numbers the programs of a function attached several times: {@code fn}, {@code fn__2}, ...).
 */
public final class AttachKinds {
    // enum bpf_prog_type and enum bpf_attach_type values of <linux/bpf.h> for the prefixes libbpf does not know.
    private static final int BPF_PROG_TYPE_XDP = 6;
    private static final int BPF_PROG_TYPE_PERF_EVENT = 7;
    private static final int BPF_XDP = 37;
    private static final int BPF_PERF_EVENT = 41;

    private static final AttachKind LIBBPF_DEFAULT = AttachKind.libbpf("");

    private static final List<AttachKind> KINDS = List.of(
            AttachKind.libbpf("tp/").withTracefs()
                    .withInline(new InlineForm.Keyed("tracepoints", "category:event", AttachKinds::tracepoint)),
            AttachKind.libbpf("tracepoint/").withTracefs(),
            AttachKind.libbpf("raw_tp/")
                    .withInline(new InlineForm.Keyed("raw_tracepoints", "event", event -> "raw_tp/" + event)),
            AttachKind.libbpf("kprobe/").withAttacher(LibbpfAttach::attachKprobe).withTypedArguments()
                    .withInline(new InlineForm.Keyed("kprobes", "kernel function", function -> "kprobe/" + function)),
            AttachKind.libbpf("kretprobe/").withAttacher(LibbpfAttach::attachKprobe)
                    .withInline(new InlineForm.Keyed("kretprobes", "kernel function",
                            function -> "kretprobe/" + function)),
            // Before uprobe/: the reference's hook that runs once after attach (see PostAttachMark).
            AttachKind.libbpf(PostAttachMark.SECTION).withAttacher(PostAttachMark::attach),
            AttachKind.libbpf("uprobe/").withTypedArguments()
                    .withInline(new InlineForm.Keyed("uprobes", "binary:symbol", where -> uprobe("uprobe/", where))),
            AttachKind.libbpf("uretprobe/")
                    .withInline(new InlineForm.Keyed("uretprobes", "binary:symbol",
                            where -> uprobe("uretprobe/", where))),
            AttachKind.libbpf(PerfEventSection.PREFIX).withAttacher(PerfEventAttacher::attach)
                    .withUnknownToLibbpf(BPF_PROG_TYPE_PERF_EVENT, BPF_PERF_EVENT)
                    .withInline(new InlineForm.PerfEvents("perf_events")),
            AttachKind.libbpf(XdpSection.PREFIX).withAttacher(XdpSection::attach)
                    .withUnknownToLibbpf(BPF_PROG_TYPE_XDP, BPF_XDP));

    private AttachKinds() {
    }

    /** Every row, in order. */
    public static List<AttachKind> all() {
        return KINDS;
    }

    /** The row for {@code section}: the first whose prefix starts it, else libbpf's automatic attach. */
    public static AttachKind of(String section) {
        if (section == null) {
            return LIBBPF_DEFAULT;
        }
        return KINDS.stream().filter(k -> k.matches(section)).findFirst().orElse(LIBBPF_DEFAULT);
    }

    /** Attaches the program where its section says. */
    public static BpfLink attach(BpfProgram program) throws BpfException {
        return of(program.section()).attacher().attach(program);
    }

    /** The prefixes libbpf must be taught before an object opens ({@link dev.ebpfexporter.bpf.BpfObject#open}). */
    public static List<SectionType> sectionTypes() {
        return KINDS.stream().map(AttachKind::unknownToLibbpf).flatMap(Optional::stream).toList();
    }

    /** {@code category:event} to {@code tp/category/event}; null for any other shape. */
    private static String tracepoint(String key) {
        int colon = key.indexOf(':');
        if (colon <= 0 || colon == key.length() - 1 || key.indexOf(':', colon + 1) >= 0) {
            return null;
        }
        return "tp/" + key.substring(0, colon) + "/" + key.substring(colon + 1);
    }

    /** {@code binary:symbol} to libbpf's {@code uprobe/binary:symbol}; null without the colon. */
    private static String uprobe(String prefix, String key) {
        return key.contains(":") ? prefix + key : null;
    }
}
