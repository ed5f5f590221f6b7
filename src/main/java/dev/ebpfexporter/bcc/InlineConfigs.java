package dev.ebpfexporter.bcc;

import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.config.MetricConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Loads a v1 config ({@code programs:} with inline BCC code): parses it, compiles each program (cached) and
 * returns one {@link ExporterConfig} per program whose object file is the compiled {@code .bpf.o}.
 *
 * <p>Naming: a file with one program gives a config named like the file ({@code timers.yaml} → {@code timers});
 * a file with several gives {@code <file>/<program>} ({@code bio.yaml} → {@code bio/bio_latency}). Metric names
 * are those of the YAML; the collector adds the {@code ebpf_exporter_} prefix as for v2 configs, as v1 did.
 */
public final class InlineConfigs {
    private final BccCompiler compiler;

    public InlineConfigs(BccCompiler compiler) {
        this.compiler = compiler;
    }

    /** With the system toolchain and the default cache directory. */
    public static List<ExporterConfig> load(Path yamlFile) throws ConfigException {
        return new InlineConfigs(BccCompiler.system()).read(yamlFile);
    }

    /** Whether a YAML file is a v1 config (top-level {@code programs:}); such files go here, not to the v2 loader. */
    public static boolean isInlineFormat(Path yamlFile) {
        return V1ConfigParser.isInlineFormat(yamlFile);
    }

    public List<ExporterConfig> read(Path yamlFile) throws ConfigException {
        List<InlineProgram> programs = V1ConfigParser.parse(yamlFile);
        String stem = yamlFile.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        List<ExporterConfig> configs = new ArrayList<>();
        for (InlineProgram program : programs) {
            BccCompiler.Compiled compiled = compiler.compileDetailed(program.source());
            for (MetricConfig metric : program.metrics()) {
                if (!compiled.maps().contains(metric.map())) {
                    throw new ConfigException(metric.source(), "program \"" + program.source().name() + "\": "
                            + "table \"" + metric.map() + "\" of metric \"" + metric.name()
                            + "\" is not declared in the code (BPF_HASH, BPF_ARRAY, BPF_HISTOGRAM, ...)");
                }
            }
            String name = programs.size() == 1 ? stem : stem + "/" + program.source().name();
            configs.add(new ExporterConfig(name, yamlFile, compiled.objectFile(), program.counters(),
                    program.histograms(), List.of(), program.source().kaddrs(), Optional.empty()));
        }
        return configs;
    }
}
