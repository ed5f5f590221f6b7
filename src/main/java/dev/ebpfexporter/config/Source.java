package dev.ebpfexporter.config;

import java.nio.file.Path;

/** Where a config element was written: file and 1-based line, for error messages. */
public record Source(Path file, int line) {
    public static final Source NONE = new Source(Path.of("<none>"), 0);

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
