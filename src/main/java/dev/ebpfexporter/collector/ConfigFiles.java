package dev.ebpfexporter.collector;

import dev.ebpfexporter.bcc.InlineConfigs;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.ConfigLoader;
import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.trust.TrustedPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code <dir>/<name>.yaml} in either format: the v2 format (a compiled {@code <name>.bpf.o}
 * beside it) or the original inline format ({@code programs:} with C code, compiled here by the
 * {@code bcc} package into one config per program).
 *
 * <p>Both files must be inside the directory: a symbolic link may point to another file there, never
 * out of it. Root loads what these files say into the kernel, so a directory, config or object that a
 * user other than root could have written is logged at warn level, once per path.
 */
public final class ConfigFiles {
    private static final Logger log = LoggerFactory.getLogger(ConfigFiles.class);
    private static final String RISK = "any user who can write there chooses what root loads into the kernel";

    private final ConfigLoader v2 = new ConfigLoader();
    private final Set<Path> warned = new HashSet<>();

    /** The configs of one name, and one line per program of an inline file that failed on its own. */
    public record Loaded(List<ExporterConfig> configs, List<Exporter.ConfigFailure> failures) {
        public Loaded {
            configs = List.copyOf(configs);
            failures = List.copyOf(failures);
        }
    }

    /**
     * The configs of {@code name}. Throws when the file cannot be used at all; of an inline file with
     * several programs, one that does not compile is a failure and the others load.
     */
    public Loaded load(Path dir, String name) throws ConfigException {
        warnIfUntrusted(dir, "config directory", true);
        Path yaml = dir.resolve(name + ".yaml");
        requireInside(yaml, dir);
        if (Files.isRegularFile(yaml)) {
            warnIfUntrusted(yaml, "config", false);
        }
        if (Files.isRegularFile(yaml) && InlineConfigs.isInlineFormat(yaml)) {
            InlineConfigs.Result result = InlineConfigs.load(yaml);
            return new Loaded(result.configs(), result.failures().stream()
                    .map(f -> new Exporter.ConfigFailure(f.name(), f.reason())).toList());
        }
        ExporterConfig config = v2.load(dir, name);
        requireInside(config.objectFile(), dir);
        if (!Files.isRegularFile(config.objectFile())) {
            throw new ConfigException("config " + name + ": BPF object " + config.objectFile() + " not found"
                    + " (build it with clang -target bpf, or run the build for the bundled examples)");
        }
        warnIfUntrusted(config.objectFile(), "BPF object", false);
        return new Loaded(List.of(config), List.of());
    }

    /** A file that exists must resolve, links followed, to a path inside {@code dir}. */
    private static void requireInside(Path file, Path dir) throws ConfigException {
        if (!Files.exists(file)) {
            return;
        }
        try {
            if (!file.toRealPath().startsWith(dir.toRealPath())) {
                throw new ConfigException(file + ": is a link that leaves the config directory " + dir);
            }
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot resolve: " + e.getMessage());
        }
    }

    /** {@code withParents}: the directories above count too (for the directory; its files need only themselves). */
    private void warnIfUntrusted(Path path, String what, boolean withParents) {
        if (!warned.add(path.toAbsolutePath().normalize())) {
            return;
        }
        try {
            Optional<String> problem = withParents ? TrustedPaths.problem(path, true) : TrustedPaths.ownProblem(path);
            problem.ifPresent(p -> log.warn("{} {}: {}: {}", what, path, p, RISK));
        } catch (IOException e) {
            // missing files are reported by the loader with their own message
        }
    }
}
