package dev.ebpfexporter.decoder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The first readable pci.ids of a list of candidates, parsed on first use and kept. */
public final class PciIdsFile implements PciIds {
    private final List<Path> candidates;
    private Optional<PciDatabase> database;

    public PciIdsFile(List<Path> candidates) {
        this.candidates = List.copyOf(candidates);
    }

    @Override
    public synchronized Optional<PciDatabase> database() {
        if (database == null) {
            database = load();
        }
        return database;
    }

    private Optional<PciDatabase> load() {
        for (Path candidate : candidates) {
            try {
                // ISO-8859-1 never fails on a stray byte; the file is ASCII in practice
                return Optional.of(PciDatabase.parse(Files.readAllLines(candidate, StandardCharsets.ISO_8859_1)));
            } catch (IOException e) {
                // try the next place
            }
        }
        return Optional.empty();
    }
}
