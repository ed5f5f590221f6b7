package dev.ebpfexporter.cli;

import dev.ebpfexporter.config.DecoderConfig;
import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.config.MetricConfig;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Decoders that read files only a privileged process sees in full: {@code ksym} and {@code kstack} read
 * {@code /proc/kallsyms}, whose addresses are all 0 without CAP_SYSLOG (kernel.kptr_restrict), and every
 * address would then decode to the same symbol.
 */
final class PrivilegedReads {
    static final Set<String> KALLSYMS_DECODERS = Set.of("ksym", "kstack");

    private PrivilegedReads() {
    }

    /** Whether a label of {@code configs} decodes kernel symbols, which must then be read before a switch. */
    static boolean readsKallsyms(List<ExporterConfig> configs) {
        return configs.stream().flatMap(config -> Stream.concat(
                        Stream.concat(config.counters().stream(), config.histograms().stream()).map(MetricConfig::labels),
                        config.spans().stream().map(span -> span.labels())))
                .flatMap(List::stream).flatMap(label -> label.decoders().stream()).map(DecoderConfig::name)
                .anyMatch(KALLSYMS_DECODERS::contains);
    }
}
