package dev.ebpfexporter.decoder;

import java.util.Optional;

/** Network interface indexes to names ({@code lo}, {@code eth0}). */
public interface NetInterfaces {
    Optional<String> name(long index);
}
