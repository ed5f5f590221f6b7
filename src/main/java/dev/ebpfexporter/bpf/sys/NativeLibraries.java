package dev.ebpfexporter.bpf.sys;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the native libraries the build makes are (our libbpf, bullseye's libelf beside it, post_attach_mark),
 * from where our classes are: {@code target/native/} beside {@code target/classes} or
 * {@code target/ebpf-exporter.jar} (the source tree, as the build makes it), or {@code lib/} above
 * {@code modules/ebpf-exporter.jar} (the distribution and the image). Never a system directory: the
 * exporter does not load the host's libbpf.
 */
public final class NativeLibraries {
    private NativeLibraries() {
    }

    /** The file named {@code name} in the first of those directories that has it; empty when none has. */
    public static Optional<Path> find(String name) {
        try {
            return find(Path.of(NativeLibraries.class.getProtectionDomain().getCodeSource().getLocation().toURI()), name);
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty(); // classes not loaded from a file (a jlink image): no library to find
        }
    }

    /** {@link #find(String)} for classes loaded from {@code code} (a jar or a classes directory). */
    static Optional<Path> find(Path code, String name) {
        Path dir = code.toAbsolutePath().getParent();
        if (dir == null) {
            return Optional.empty();
        }
        Path file = dir.getFileName() != null && dir.getFileName().toString().equals("modules") && dir.getParent() != null
                ? dir.getParent().resolve("lib").resolve(name) : dir.resolve("native").resolve(name);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** What to say when {@code name} is missing: where the build puts it and how to make it. */
    public static String missing(String name) {
        return name + " is not where the build puts it (target/native/, or lib/ of the distribution): rebuild with"
                + " ./mvnw package";
    }
}
