package dev.ebpfexporter.testing;

/** Programs of inline (v1, {@code programs:}) configs that tests write: one YAML item each, at the list's indent. */
public final class InlinePrograms {
    private InlinePrograms() {
    }

    /** A program counting every system call entry (raw tracepoint sys_enter) as {@code metric}{slot="0"}. */
    public static String syscallCounter(String program, String metric) {
        return counter(program, metric, "raw_tracepoints:\n  sys_enter: count_" + program,
                "count_" + program, "struct bpf_raw_tracepoint_args", "calls.increment(0);");
    }

    /**
     * A program whose {@code function} runs {@code body} (C statements) on the one-slot array
     * {@code calls}, exported as counter {@code metric} labelled by slot.
     *
     * @param attach the program's attach section, YAML lines at the program's indent
     * @param context the struct that {@code function}'s one argument points to
     */
    public static String counter(String program, String metric, String attach, String function, String context,
                                 String body) {
        return """
                  - name: %s
                    metrics:
                      counters:
                        - name: %s
                          help: Runs of %s
                          table: calls
                          labels: [{name: slot, size: 4, decoders: [{name: uint}]}]
                """.formatted(program, metric, function)
                + attach.indent(4)
                + """
                    code: |
                      BPF_ARRAY(calls, u64, 1);
                      int %s(%s *ctx) {
                          %s
                          return 0;
                      }
                """.formatted(function, context, body);
    }
}
