package dev.ebpfexporter.decoder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Facts about the machine the tests run on, read independently of the code under test. */
final class RealSystem {
    private RealSystem() {
    }

    /** The address of a global text symbol in /proc/kallsyms, 0 if absent or hidden. */
    static long symbolAddress(String name) throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc/kallsyms"))) {
            return lines.map(line -> line.split(" "))
                    .filter(f -> f.length == 3 && f[1].equals("T") && f[2].equals(name))
                    .mapToLong(f -> Long.parseUnsignedLong(f[0], 16))
                    .findFirst().orElse(0);
        }
    }
}
