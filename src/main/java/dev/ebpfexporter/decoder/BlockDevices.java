package dev.ebpfexporter.decoder;

import java.util.Optional;

/** Block device numbers to names ({@code sda}, {@code nvme0n1p1}). */
public interface BlockDevices {
    Optional<String> name(long major, long minor) throws DecoderException;
}
