package dev.ebpfexporter.decoder;

import java.util.Optional;

/** The pci.ids database, if the machine has one (Debian package {@code hwdata} or {@code pci.ids}). */
public interface PciIds {
    Optional<PciDatabase> database();
}
