package dev.ebpfexporter.cli;

import dev.ebpfexporter.collector.Exporter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether what loaded is enough to start (or, under {@code --config.check}, to report success). As
 * in the reference: a config that fails to load, or whose object the kernel refuses in part, stops
 * startup; {@code --config.strict} also stops it for a program that does not attach.
 * {@code --config.allow-failures} (ours) serves what did load instead, unless strict.
 */
record StartPolicy(boolean strict, boolean allowFailuresFlag) {
    /** Failed configs and refused programs are tolerated: served around, shown as failures. */
    boolean allowsFailures() {
        return allowFailuresFlag && !strict;
    }

    /** The reason startup must stop, if any, in one line. */
    Optional<String> fatal(Exporter exporter) {
        List<String> reasons = new ArrayList<>();
        if (!allowsFailures()) {
            if (!exporter.failures().isEmpty()) {
                reasons.add(exporter.failures().size() + " config(s) failed to load: "
                        + String.join(", ", exporter.failures().stream().map(Exporter.ConfigFailure::name).toList()));
            }
            if (!exporter.refusedPrograms().isEmpty()) {
                reasons.add("programs refused by the kernel (config:program): "
                        + String.join(", ", exporter.refusedPrograms()));
            }
        }
        if (strict && !exporter.missedAttachments().isEmpty()) {
            reasons.add("--config.strict: missed attachments (config:program): "
                    + String.join(", ", exporter.missedAttachments()));
        }
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }
}
