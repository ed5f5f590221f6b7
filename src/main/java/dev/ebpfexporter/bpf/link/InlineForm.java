package dev.ebpfexporter.bpf.link;

import java.util.function.UnaryOperator;

/**
 * How the inline (v1, BCC-flavoured) config format names an attach kind under {@code programs[]}: the YAML
 * key, and how one of its entries becomes the section of the program it attaches. The {@code bcc} package
 * reads these from {@link AttachKinds}, so a kind added there is known to both config formats.
 */
public sealed interface InlineForm {
    /** The YAML key under {@code programs[]}, e.g. {@code kprobes}. */
    String yamlKey();

    /**
     * {@code <yamlKey>: {<where>: <function>}}: each entry attaches the C function to {@code section(where)}.
     *
     * @param keyShape how {@code where} must look, for the error when {@code section} refuses it ({@code category:event})
     * @param section  {@code where} to the section, or null when {@code where} does not have that shape
     */
    record Keyed(String yamlKey, String keyShape, UnaryOperator<String> section) implements InlineForm {
    }

    /**
     * {@code <yamlKey>: [{type, name, target, sample_period|sample_frequency}]}: each entry attaches the function
     * {@code target} to the section of {@link PerfEventSection#section()}.
     */
    record PerfEvents(String yamlKey) implements InlineForm {
    }
}
