package dev.ebpfexporter.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads {@code <dir>/<name>.yaml} into an {@link ExporterConfig} whose program is {@code <dir>/<name>.bpf.o}.
 * Every problem is a {@link ConfigException} with a one-line {@code file:line: field: problem} message.
 * Inline ({@code programs:}) configs are read by the bcc package; the collector sends them there.
 */
public final class ConfigLoader {
    private final UnknownKeys unknownKeys;

    /** A loader for which unknown keys are errors, as under {@code --config.strict}. */
    public ConfigLoader() {
        this(UnknownKeys.REFUSE);
    }

    /** A loader that treats keys the format does not know as {@code unknownKeys} says. */
    public ConfigLoader(UnknownKeys unknownKeys) {
        this.unknownKeys = unknownKeys;
    }

    public ExporterConfig load(Path configDir, String name) throws ConfigException {
        Path file = configDir.resolve(name + ".yaml");
        return parse(name, file, configDir.resolve(name + ".bpf.o"), YamlDocument.readText(file));
    }

    /** Parses {@code text} as the contents of {@code file}; the object file's existence is not checked. */
    public ExporterConfig parse(String name, Path file, Path objectFile, String text) throws ConfigException {
        YamlMap root = YamlDocument.parse(file, text, unknownKeys);
        if (isInlineFormat(root)) {
            throw new ConfigException(root.keySource("programs").orElseThrow(),
                    "inline (programs:) configs are handled by the bcc package");
        }
        return new V2Format().read(name, file, objectFile, root);
    }

    /** The inline (v1) format keeps everything under a top-level {@code programs:} list. */
    static boolean isInlineFormat(YamlMap root) {
        return root.has("programs");
    }

    /**
     * Splits {@code --config.names}: comma separated, each trimmed; empty names, duplicates and names that are not
     * plain file names (a path, {@code ..}) are errors.
     */
    public static List<String> parseNames(String commaList) throws ConfigException {
        if (commaList == null || commaList.isBlank()) {
            throw new ConfigException("--config.names: no config names given");
        }
        List<String> names = new ArrayList<>();
        String[] parts = commaList.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String name = parts[i].strip();
            if (name.isEmpty()) {
                throw new ConfigException("--config.names: empty name at position " + (i + 1)
                        + " in " + YamlNode.quote(commaList));
            }
            if (!isPlainName(name)) {
                throw new ConfigException("--config.names: " + YamlNode.quote(name)
                        + " is not a plain name (names have no / or \\ and are not . or ..)");
            }
            if (names.contains(name)) {
                throw new ConfigException("--config.names: duplicate name " + YamlNode.quote(name));
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    /** A name that stays inside the config directory when {@code .yaml} or {@code .bpf.o} is appended. */
    private static boolean isPlainName(String name) {
        return !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0 && name.indexOf('\\') < 0
                && name.indexOf('\0') < 0;
    }
}
