package dev.ebpfexporter.bpf.sys;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the native libraries the build makes are (our libbpf, bullseye's libelf beside it, post_attach_mark) and
 * our libbpf's BPF-side headers,
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
        return codeLocation().flatMap(code -> find(code, name));
    }

    /** {@link #find(String)} for classes loaded from {@code code} (a jar or a classes directory). */
    static Optional<Path> find(Path code, String name) {
        return directory(code).map(dir -> dir.resolve(name)).filter(Files::isRegularFile);
    }

    /**
     * The BPF-side headers of the libbpf we ship ({@code bpf/bpf_helpers.h}, ...), for the inline format's clang:
     * {@code target/libbpf/include} in the source tree, {@code lib/include} in the distribution; empty when absent.
     */
    public static Optional<Path> headers() {
        return codeLocation().flatMap(NativeLibraries::headers);
    }

    /** {@link #headers()} for classes loaded from {@code code}. */
    static Optional<Path> headers(Path code) {
        return directory(code)
                .map(dir -> dir.getFileName().toString().equals("lib") ? dir.resolve("include")
                        : dir.resolveSibling("libbpf").resolve("include"))
                .filter(include -> Files.isRegularFile(include.resolve("bpf").resolve("bpf_helpers.h")));
    }

    private static Optional<Path> codeLocation() {
        try {
            return Optional.of(Path.of(NativeLibraries.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty(); // classes not loaded from a file (a jlink image): nothing to find
        }
    }

    /** lib/ above modules/ (the distribution), else native/ beside the jar or classes (the source tree). */
    private static Optional<Path> directory(Path code) {
        Path dir = code.toAbsolutePath().getParent();
        if (dir == null) {
            return Optional.empty();
        }
        return Optional.of(dir.getFileName() != null && dir.getFileName().toString().equals("modules") && dir.getParent() != null
                ? dir.getParent().resolve("lib") : dir.resolve("native"));
    }

    /** What to say when {@code name} is missing: where the build puts it and how to make it. */
    public static String missing(String name) {
        return name + " is not where the build puts it (target/native/, or lib/ of the distribution): rebuild with"
                + " ./mvnw package";
    }
}
