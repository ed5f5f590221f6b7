package dev.ebpfexporter.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** The distribution tarball the dist profile built (scripts/dist.sh into EBPF_EXPORTER_BUILD/dist), for the tests that run it. */
public final class DistTarball {
    private static final Duration UNPACK_TIMEOUT = Duration.ofMinutes(2);

    private DistTarball() {
    }

    /** {@code <build>/dist/ebpf_exporter-<version>.linux-<arch>.tar.gz}. */
    public static Path find() throws IOException {
        Path dist = Path.of(System.getenv("EBPF_EXPORTER_BUILD")).resolve("dist");
        try (Stream<Path> files = Files.list(dist)) {
            return files.filter(f -> f.toString().endsWith(".tar.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no tarball in " + dist));
        }
    }

    /** Unpacks {@code tarball} with tar into {@code into} and returns the tree it holds ({@code ebpf_exporter-<version>}). */
    public static Path unpack(Path tarball, Path into) throws IOException {
        Workloads.run(UNPACK_TIMEOUT, List.of("tar", "-xzf", tarball.toString(), "-C", into.toString())).requireSuccess();
        try (Stream<Path> dirs = Files.list(into)) {
            return dirs.findFirst().orElseThrow(() -> new AssertionError(tarball + " unpacked to nothing"));
        }
    }
}
