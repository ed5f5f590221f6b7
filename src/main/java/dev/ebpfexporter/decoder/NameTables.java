package dev.ebpfexporter.decoder;

import dev.ebpfexporter.platform.Architecture;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Number-to-name tables shipped as resources ({@code <number> <name>} lines), generated from
 * kernel headers by scripts/gen-decoder-tables.py so that the exporter needs no headers at run time.
 */
final class NameTables {
    private NameTables() {
    }

    /** The syscall table of an architecture. */
    static Map<Long, String> syscalls(Architecture arch) {
        return load(arch.syscallTable());
    }

    /** Linux errno names (the same numbers on x86_64 and arm64). */
    static Map<Long, String> errnos() {
        return load("errno.txt");
    }

    private static Map<Long, String> load(String resource) {
        Map<Long, String> table = new HashMap<>();
        try (InputStream in = NameTables.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] numberName = line.trim().split(" ", 2);
                    table.put(Long.parseLong(numberName[0]), numberName[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(table);
    }
}
