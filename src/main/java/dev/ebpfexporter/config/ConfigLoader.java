package dev.ebpfexporter.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Loads {@code <dir>/<name>.yaml} into an {@link ExporterConfig} whose program is {@code <dir>/<name>.bpf.o}.
 * Every problem is a {@link ConfigException} with a one-line {@code file:line: field: problem} message.
 */
public final class ConfigLoader {
    private final Optional<InlineFormat> inlineFormat;

    /** A loader for v2 configs only; inline ({@code programs:}) configs are refused. */
    public ConfigLoader() {
        this.inlineFormat = Optional.empty();
    }

    /** A loader that hands inline ({@code programs:}) configs to {@code inlineFormat}. */
    public ConfigLoader(InlineFormat inlineFormat) {
        this.inlineFormat = Optional.of(inlineFormat);
    }

    public ExporterConfig load(Path configDir, String name) throws ConfigException {
        Path file = configDir.resolve(name + ".yaml");
        return parse(name, file, configDir.resolve(name + ".bpf.o"), read(file));
    }

    /** Parses {@code text} as the contents of {@code file}; the object file's existence is not checked. */
    public ExporterConfig parse(String name, Path file, Path objectFile, String text) throws ConfigException {
        YamlMap root = YamlDocument.parse(file, text);
        if (isInlineFormat(root)) {
            if (inlineFormat.isEmpty()) {
                throw new ConfigException(root.keySource("programs").orElseThrow(),
                        "inline (programs:) configs are handled by the bcc package");
            }
            return inlineFormat.get().parse(name, file, root);
        }
        return new V2Format().read(name, file, objectFile, root);
    }

    /** The seed's (v1) format keeps everything under a top-level {@code programs:} list. */
    static boolean isInlineFormat(YamlMap root) {
        return root.has("programs");
    }

    /**
     * Splits {@code --config.names}: comma separated, each trimmed; empty names and duplicates are errors.
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
            if (names.contains(name)) {
                throw new ConfigException("--config.names: duplicate name " + YamlNode.quote(name));
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private static String read(Path file) throws ConfigException {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": config file does not exist");
        } catch (CharacterCodingException e) {
            throw new ConfigException(new Source(file, 1), "not a text file (invalid UTF-8)");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read config: " + e);
        }
    }
}
