package dev.ebpfexporter.bcc;

import dev.ebpfexporter.config.CounterConfig;
import dev.ebpfexporter.config.HistogramConfig;
import dev.ebpfexporter.config.MetricConfig;

import java.util.List;
import java.util.stream.Stream;

/** One {@code programs[]} entry of a v1 config, parsed but not compiled. */
public record InlineProgram(ProgramSource source, List<CounterConfig> counters, List<HistogramConfig> histograms) {
    public InlineProgram {
        counters = List.copyOf(counters);
        histograms = List.copyOf(histograms);
    }

    public List<MetricConfig> metrics() {
        return Stream.<MetricConfig>concat(counters.stream(), histograms.stream()).toList();
    }
}
