package dev.ebpfexporter.collector;

import dev.ebpfexporter.bcc.InlineConfigs;
import dev.ebpfexporter.btf.KernelBtf;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.ConfigLoader;
import dev.ebpfexporter.config.DidYouMean;
import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.config.UnknownKeys;
import dev.ebpfexporter.trust.TrustedPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

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

    private final UnknownKeys unknownKeys;
    private final ConfigLoader v2;
    private final Set<Path> warned = new HashSet<>();
    private final Supplier<Path> kernelBtf;

    /** Unknown keys are logged at warn level, one line each, and ignored, as the reference ignores them. */
    public ConfigFiles() {
        this(false);
    }

    /** {@code strict} ({@code --config.strict}): an unknown key fails its config instead. */
    public ConfigFiles(boolean strict) {
        this(strict, () -> KernelBtf.SYSFS);
    }

    /** @param kernelBtf the BTF inline programs are compiled against (vmlinux.h), asked for at each read */
    public ConfigFiles(boolean strict, Supplier<Path> kernelBtf) {
        unknownKeys = strict ? UnknownKeys.REFUSE : UnknownKeys.warn(line -> log.warn("{}", line));
        v2 = new ConfigLoader(unknownKeys);
        this.kernelBtf = kernelBtf;
    }

    /** The configs of one name, and one line per program of an inline file that failed on its own. */
    public record Loaded(List<ExporterConfig> configs, List<Exporter.ConfigFailure> failures) {
        public Loaded {
            configs = List.copyOf(configs);
            failures = List.copyOf(failures);
        }
    }

    /**
     * What {@code --config.names} names, as it is on disk now: every config that read, with the digest of the
     * files it comes from, and one failure per name or inline program that did not read (named as the file,
     * {@code bio}, or the program, {@code bio/bio_latency}).
     */
    public record Wanted(List<Version> configs, List<Exporter.ConfigFailure> failures) {
        public Wanted {
            configs = List.copyOf(configs);
            failures = List.copyOf(failures);
        }

        /** Names of the configs that read (an inline file's programs as {@code file/program}). */
        public List<String> names() {
            return configs.stream().map(v -> v.config().name()).toList();
        }
    }

    /**
     * A config as read, and the SHA-256 of what it was read from: the YAML and the object of a v2 config,
     * the YAML alone of an inline one (its object is compiled from it). Equal digests, unchanged config.
     */
    public record Version(ExporterConfig config, String digest) {
    }

    /** Reads every name; one that fails is logged and becomes a failure, the others read on. */
    public Wanted readAll(Path dir, List<String> names) {
        List<Version> configs = new ArrayList<>();
        List<Exporter.ConfigFailure> failures = new ArrayList<>();
        for (String name : names) {
            try {
                // Hashed before parsing: a file that changes in between counts as changed on the next reload.
                java.security.MessageDigest yamlDigest = sha256();
                Path yaml = dir.resolve(name + ".yaml");
                if (Files.isRegularFile(yaml)) {
                    yamlDigest.update(Files.readAllBytes(yaml));
                }
                boolean inline = Files.isRegularFile(yaml) && InlineConfigs.isInlineFormat(yaml);
                Loaded loaded = load(dir, name);
                for (ExporterConfig config : loaded.configs()) {
                    java.security.MessageDigest digest = cloneOf(yamlDigest);
                    if (!inline) {
                        digest.update((byte) 0);
                        digest.update(Files.readAllBytes(config.objectFile()));
                    }
                    configs.add(new Version(config, HexFormat.of().formatHex(digest.digest())));
                }
                loaded.failures().forEach(f -> log.error("{}", f.reason()));
                failures.addAll(loaded.failures());
            } catch (ConfigException e) {
                log.error("{}", e.getMessage());
                log.debug("config {}", name, e);
                failures.add(new Exporter.ConfigFailure(name, e.getMessage()));
            } catch (IOException e) {
                String message = "config " + name + ": cannot read: " + e.getMessage();
                log.error("{}", message);
                log.debug("config {}: read failure", name, e);
                failures.add(new Exporter.ConfigFailure(name, message));
            }
        }
        return new Wanted(configs, failures);
    }

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static java.security.MessageDigest cloneOf(java.security.MessageDigest digest) {
        try {
            return (java.security.MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
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
        if (!Files.exists(yaml, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            List<String> present = names(dir);
            throw new ConfigException("config " + name + ": " + yaml + " does not exist" + (present.isEmpty()
                    ? " (" + dir + " holds no .yaml configs)" : DidYouMean.suggest(name, present)));
        }
        if (Files.isRegularFile(yaml)) {
            warnIfUntrusted(yaml, "config", false);
        }
        if (Files.isRegularFile(yaml) && InlineConfigs.isInlineFormat(yaml)) {
            InlineConfigs.Result result = InlineConfigs.load(yaml, unknownKeys, kernelBtf.get());
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

    /** The configs {@code dir} holds: its {@code <name>.yaml} files by name. */
    private static List<String> names(Path dir) {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
                    .map(f -> f.substring(0, f.length() - ".yaml".length())).sorted().toList();
        } catch (IOException e) {
            return List.of(); // the directory is checked at start; a message without suggestions is enough
        }
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
            throw new ConfigException(file + ": cannot resolve: " + e.getMessage(), e);
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
