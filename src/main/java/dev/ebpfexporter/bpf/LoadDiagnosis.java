package dev.ebpfexporter.bpf;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.btf.KernelBtf;
import dev.ebpfexporter.bpf.sys.Errno;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says what an open or load failure means, from the errno and what libbpf printed, where the errno alone
 * points the wrong way: "No such file or directory" for an object file that exists, "No such process" for
 * a function the kernel lacks, "Operation not permitted" (with libbpf's memlock hint) for a program type
 * this kernel refuses. Empty when the errno says enough.
 */
final class LoadDiagnosis {
    /** What libbpf prints when it needs the kernel's BTF and finds none, in sysfs or the places it also looks. */
    private static final String NO_KERNEL_BTF = "failed to find valid kernel BTF";
    private static final Pattern EXTERN_WITHOUT_BTF = Pattern.compile("failed to find BTF for extern '([^']+)'");
    private static final Pattern KSYM_NOT_FOUND = Pattern.compile("extern \\(func ksym\\) '([^']+)': not found");
    private static final Pattern NO_BTF_TARGET =
            Pattern.compile("prog '([^']+)': failed to find kernel BTF type ID of '([^']+)'");
    /** The BTF type libbpf looks up for a {@code tp_btf/} program is the tracepoint's, with this prefix. */
    private static final String TRACEPOINT_TYPE = "btf_trace_";
    /** Section prefixes of programs run through BPF trampolines, which some kernels refuse to load. */
    private static final List<String> TRAMPOLINE = List.of("fentry/", "fentry.s/", "fexit/", "fexit.s/", "fmod_ret/",
            "fmod_ret.s/");
    /** What each trampoline kind's kprobe counterpart is, for the message. */
    private static final Map<String, String> INSTEAD = Map.of("fentry", "kprobe", "fexit", "kretprobe",
            "fmod_ret", "kprobe");

    private LoadDiagnosis() {
    }

    /** Why {@code bpf_object__open_file} failed, when libbpf's lines say more than the errno. */
    static Optional<String> open(List<String> libbpf) {
        for (String line : libbpf) {
            Matcher extern = EXTERN_WITHOUT_BTF.matcher(line);
            if (extern.find()) {
                return Optional.of("it calls '" + extern.group(1) + "', an extern function with no BTF in the object,"
                        + " which libbpf cannot resolve (not a file that is missing: clang makes such a call of a"
                        + " memcmp or memcpy it does not inline; kernel functions are declared __ksym)");
            }
        }
        return Optional.empty();
    }

    /**
     * Why {@code bpf_object__load} failed, when libbpf's lines or the refused programs' kinds say more than the
     * errno.
     *
     * @param refused the sections of the programs libbpf reports as refused, by program name
     */
    static Optional<String> load(int errno, List<String> libbpf, Map<String, String> refused) {
        return load(errno, libbpf, refused, false);
    }

    /** @param externalBtf whether the object was opened with {@code --btf.path}'s BTF for its CO-RE relocations */
    static Optional<String> load(int errno, List<String> libbpf, Map<String, String> refused, boolean externalBtf) {
        for (String line : libbpf) {
            if (line.contains(NO_KERNEL_BTF)) {
                return Optional.of(externalBtf ? "this kernel has no BTF (" + KernelBtf.SYSFS + " is missing) and"
                        + " --btf.path serves only CO-RE relocations: tp_btf, fentry/fexit and typed __ksym programs"
                        + " need the kernel's own" : KernelBtf.MISSING);
            }
            Matcher target = NO_BTF_TARGET.matcher(line);
            if (target.find()) {
                String program = target.group(1);
                String type = target.group(2);
                String section = refused.getOrDefault(program, "");
                String where = section.isEmpty() ? "" : " (" + section + ")";
                // libbpf names a tp_btf program's target without the btf_trace_ prefix of the type it looked for.
                boolean tracepoint = type.startsWith(TRACEPOINT_TYPE) || section.startsWith("tp_btf/");
                return Optional.of(tracepoint
                        ? "program " + program + where + ": this kernel has no tracepoint "
                                + type.replaceFirst("^" + TRACEPOINT_TYPE, "") + " (none in its BTF)"
                        : "program " + program + where + ": this kernel has no function " + type + " (none in its BTF)");
            }
            Matcher ksym = KSYM_NOT_FOUND.matcher(line);
            if (ksym.find()) {
                return Optional.of("this kernel has no function " + ksym.group(1) + " for the object's __ksym extern");
            }
        }
        if (errno == Errno.EPERM && !refused.isEmpty() && refused.values().stream().allMatch(LoadDiagnosis::trampoline)) {
            var first = refused.entrySet().iterator().next();
            String kind = first.getValue().substring(0, first.getValue().indexOf('/')).replace(".s", "");
            return Optional.of("program " + first.getKey() + " (" + first.getValue() + "): this kernel does not allow "
                    + "fentry/fexit programs (" + BpfException.describe(errno) + ", as root: not the memlock limit"
                    + " libbpf suggests); a " + INSTEAD.get(kind) + " program on the same function, or a kernel"
                    + " that allows BPF trampolines, traces it");
        }
        return Optional.empty();
    }

    private static boolean trampoline(String section) {
        return TRAMPOLINE.stream().anyMatch(section::startsWith);
    }
}
