package dev.ebpfexporter.config;

import java.nio.file.Path;

/**
 * Reads the seed's inline BCC-style format (top-level {@code programs:}); plugged into
 * {@link ConfigLoader} by the bcc package so that config does not depend on it.
 */
@FunctionalInterface
public interface InlineFormat {
    /**
     * @param name the config name (file name without {@code .yaml})
     * @param file the YAML file, for error messages; its directory is the config directory
     * @param root the already composed top-level map (has the key {@code programs})
     */
    ExporterConfig parse(String name, Path file, YamlMap root) throws ConfigException;
}
