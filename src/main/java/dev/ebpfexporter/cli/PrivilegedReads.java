package dev.ebpfexporter.cli;

import dev.ebpfexporter.config.DecoderConfig;
import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.config.LabelConfig;
import dev.ebpfexporter.config.MetricConfig;

import java.util.ArrayList;
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

    /** A config and the decoder in it that needs CAP_SYSLOG. */
    record Use(String config, String decoder) {
    }

    private PrivilegedReads() {
    }

    static List<Use> kallsymsUses(List<ExporterConfig> configs) {
        List<Use> uses = new ArrayList<>();
        for (ExporterConfig config : configs) {
            Stream<LabelConfig> labels = Stream.concat(
                    Stream.concat(config.counters().stream(), config.histograms().stream()).map(MetricConfig::labels),
                    config.spans().stream().map(span -> span.labels())).flatMap(List::stream);
            labels.flatMap(label -> label.decoders().stream()).map(DecoderConfig::name)
                    .filter(KALLSYMS_DECODERS::contains).distinct().findFirst()
                    .ifPresent(decoder -> uses.add(new Use(config.name(), decoder)));
        }
        return uses;
    }

    /**
     * A {@code --capabilities.keep} set without cap_syslog leaves the threads that serve scrapes unable to
     * refresh kernel symbols: refused while a loaded config decodes them, naming both.
     */
    static void requireKeepFits(Capabilities.Keep keep, String flag, List<ExporterConfig> configs) {
        if (keep.all() || keep.capabilities().contains(Capabilities.NAMES.indexOf("cap_syslog"))) {
            return;
        }
        List<Use> uses = kallsymsUses(configs);
        if (!uses.isEmpty()) {
            Use use = uses.getFirst();
            throw new IllegalArgumentException("--capabilities.keep=" + flag + ": config " + use.config()
                    + " uses decoder " + use.decoder() + ", which reads /proc/kallsyms and needs cap_syslog: add"
                    + " cap_syslog to the list (or use --runas.user, which reads the symbols before switching)");
        }
    }
}
