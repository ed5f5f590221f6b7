package dev.ebpfexporter.testing;

import dev.ebpfexporter.btf.RunningKernel;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** BTF archive directories as the public ones lay them out, made for tests of {@code --btf.path}. */
public final class BtfArchives {
    private BtfArchives() {
    }

    /**
     * Writes {@code <root>/<os id>/<version id>/<arch>/<release>.btf.tar.xz} for {@code kernel}, holding a copy of
     * {@code btf} as {@code <release>.btf}; returns the archive's path.
     */
    public static Path archiveFor(RunningKernel kernel, Path root, Path btf) throws IOException, InterruptedException {
        String name = kernel.release() + ".btf";
        Path archive = root.resolve(kernel.osId().orElseThrow()).resolve(kernel.versionId().orElseThrow())
                .resolve(kernel.arch().btfArchiveArch()).resolve(name + ".tar.xz");
        Files.createDirectories(archive.getParent());
        Path staging = Files.createTempDirectory("btf-archive");
        try {
            Files.copy(btf, staging.resolve(name));
            tarXz(staging, List.of(name), "gnu", archive);
        } finally {
            Files.deleteIfExists(staging.resolve(name));
            Files.delete(staging);
        }
        return archive;
    }

    /** {@code tar --format=<format> -C <from> -cf - <members>} (GNU tar), xz-compressed into {@code archive}. */
    public static void tarXz(Path from, List<String> members, String format, Path archive)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tar", "--format=" + format, "-C", from.toString(), "-cf", "-"));
        command.addAll(members);
        Process tar = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream out = new XZOutputStream(Files.newOutputStream(archive), new LZMA2Options())) {
            tar.getInputStream().transferTo(out);
        }
        if (!tar.waitFor(120, TimeUnit.SECONDS) || tar.exitValue() != 0) {
            tar.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed");
        }
    }
}
