package dev.ebpfexporter.bcc;

import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.config.MetricConfig;
import dev.ebpfexporter.config.UnknownKeys;

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

    /**
     * The programs of one file that compiled, as configs, and one line for each program that did not.
     * A program that fails does not take the others of its file down.
     */
    public record Result(List<ExporterConfig> configs, List<Failure> failures) {
        public Result {
            configs = List.copyOf(configs);
            failures = List.copyOf(failures);
        }
    }

    /** A program that did not compile: its config name ({@code <file>/<program>}) and the one-line reason. */
    public record Failure(String name, String reason) {
    }

    /**
     * With the system toolchain and the default cache directory, compiling against {@code kernelBtf} (the kernel's
     * own or {@code --btf.path}'s); see {@link #readEach(Path, UnknownKeys)}.
     */
    public static Result load(Path yamlFile, UnknownKeys unknownKeys, Path kernelBtf) throws ConfigException {
        return new InlineConfigs(BccCompiler.system(kernelBtf)).readEach(yamlFile, unknownKeys);
    }

    /** Whether a YAML file is a v1 config (top-level {@code programs:}); such files go here, not to the v2 loader. */
    public static boolean isInlineFormat(Path yamlFile) {
        return V1ConfigParser.isInlineFormat(yamlFile);
    }

    /** Every program of the file as a config; the first program that fails fails the whole file. */
    public List<ExporterConfig> read(Path yamlFile) throws ConfigException {
        List<InlineProgram> programs = V1ConfigParser.parse(yamlFile);
        String stem = stem(yamlFile);
        List<ExporterConfig> configs = new ArrayList<>();
        for (InlineProgram program : programs) {
            configs.add(config(yamlFile, program, programs.size() == 1 ? stem : stem + "/" + program.source().name()));
        }
        return configs;
    }

    /**
     * Every program of the file that compiles as a config; each one that does not is a failure line
     * ({@code config <file>/<program>: <why>}). A file with one program, or that does not parse,
     * throws as {@link #read} does.
     */
    public Result readEach(Path yamlFile, UnknownKeys unknownKeys) throws ConfigException {
        List<InlineProgram> programs = V1ConfigParser.parse(yamlFile, unknownKeys);
        String stem = stem(yamlFile);
        if (programs.size() == 1) {
            return new Result(List.of(config(yamlFile, programs.getFirst(), stem)), List.of());
        }
        List<ExporterConfig> configs = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (InlineProgram program : programs) {
            String name = stem + "/" + program.source().name();
            try {
                configs.add(config(yamlFile, program, name));
            } catch (ConfigException e) {
                // The config's one-line reason is what is reported; its stack is the YAML reader's, of no use to a user.
                failures.add(new Failure(name, "config " + name + ": " + e.getMessage()));
            }
        }
        return new Result(configs, failures);
    }

    private ExporterConfig config(Path yamlFile, InlineProgram program, String name) throws ConfigException {
        BccCompiler.Compiled compiled = compiler.compileDetailed(program.source());
        for (MetricConfig metric : program.metrics()) {
            if (!compiled.maps().contains(metric.map())) {
                throw new ConfigException(metric.source(), "program \"" + program.source().name() + "\": "
                        + "table \"" + metric.map() + "\" of metric \"" + metric.name()
                        + "\" is not declared in the code (BPF_HASH, BPF_ARRAY, BPF_HISTOGRAM, ...)");
            }
        }
        return new ExporterConfig(name, yamlFile, compiled.objectFile(), program.counters(),
                program.histograms(), List.of(), program.source().kaddrs(), Optional.empty());
    }

    private static String stem(Path yamlFile) {
        return yamlFile.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    }
}
