package dev.ebpfexporter.collector;

import dev.ebpfexporter.bcc.InlineConfigs;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.ConfigLoader;
import dev.ebpfexporter.config.ExporterConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads {@code <dir>/<name>.yaml} in either format: the v2 format (a compiled {@code <name>.bpf.o}
 * beside it) or the original inline format ({@code programs:} with C code, compiled here by the
 * {@code bcc} package into one config per program).
 */
public final class ConfigFiles {
    private final ConfigLoader v2 = new ConfigLoader();

    public List<ExporterConfig> load(Path dir, String name) throws ConfigException {
        Path yaml = dir.resolve(name + ".yaml");
        if (Files.isRegularFile(yaml) && InlineConfigs.isInlineFormat(yaml)) {
            return InlineConfigs.load(yaml);
        }
        ExporterConfig config = v2.load(dir, name);
        if (!Files.isRegularFile(config.objectFile())) {
            throw new ConfigException("config " + name + ": BPF object " + config.objectFile() + " not found"
                    + " (build it with clang -target bpf, or run the build for the bundled examples)");
        }
        return List.of(config);
    }
}
