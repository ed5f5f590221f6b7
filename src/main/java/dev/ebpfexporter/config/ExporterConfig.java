package dev.ebpfexporter.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One config: {@code <name>.yaml} with its compiled program {@code <name>.bpf.o}.
 *
 * @param name      the file name without {@code .yaml}
 * @param objectFile the BPF object to load
 */
public record ExporterConfig(String name, Path file, Path objectFile, List<CounterConfig> counters,
                             List<HistogramConfig> histograms, List<SpanConfig> spans, List<String> kaddrs,
                             Optional<CgroupIdMapConfig> cgroupIdMap) {
    public ExporterConfig {
        counters = List.copyOf(counters);
        histograms = List.copyOf(histograms);
        spans = List.copyOf(spans);
        kaddrs = List.copyOf(kaddrs);
    }

    /** Counters then histograms, in file order within each kind. */
    public List<MetricConfig> metrics() {
        return java.util.stream.Stream.<MetricConfig>concat(counters.stream(), histograms.stream()).toList();
    }
}
