package dev.ebpfexporter.btf;

import dev.ebpfexporter.platform.Architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What picks a kernel's file out of a BTF archive directory: the distribution ({@code ID} and {@code VERSION_ID} of
 * os-release), the architecture as the archives name it ({@code x86_64}, {@code arm64}) and the kernel release
 * ({@code uname -r}). Either os-release field may be missing (Debian's unstable has no {@code VERSION_ID}); the
 * archive lookup then says so.
 */
public record RunningKernel(Optional<String> osId, Optional<String> versionId, Architecture arch, String release) {

    /** The files os-release(5) names, in the order it says to read them. */
    static final List<Path> OS_RELEASE = List.of(Path.of("/etc/os-release"), Path.of("/usr/lib/os-release"));
    static final Path OSRELEASE = Path.of("/proc/sys/kernel/osrelease");

    /** This machine. */
    public static RunningKernel current() throws IOException {
        return read(OS_RELEASE, OSRELEASE, Architecture.current());
    }

    /** From the first os-release file that exists and the file holding the kernel release. */
    static RunningKernel read(List<Path> osReleaseFiles, Path kernelRelease, Architecture arch) throws IOException {
        List<String> lines = List.of();
        for (Path file : osReleaseFiles) {
            try {
                lines = Files.readAllLines(file);
                break;
            } catch (NoSuchFileException e) {
                // the next file os-release(5) names, or no distribution fields at all
            }
        }
        return new RunningKernel(field(lines, "ID"), field(lines, "VERSION_ID"), arch,
                Files.readString(kernelRelease).strip());
    }

    /** {@code KEY=value}, {@code KEY="value"} or {@code KEY='value'}, as os-release(5) writes them. */
    static Optional<String> field(List<String> lines, String key) {
        for (String line : lines) {
            if (line.startsWith(key + "=")) {
                String value = line.substring(key.length() + 1).strip();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                        || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** {@code <dir>/<os id>/<version id>/<arch>/}: where an archive keeps this kernel's files. */
    Path archiveDirectory(Path root) throws BtfException {
        String id = osId.orElseThrow(() -> new BtfException(root
                + ": a BTF archive directory is looked up by os-release's ID, and this machine's os-release has none"));
        String version = versionId.orElseThrow(() -> new BtfException(root
                + ": a BTF archive directory is looked up by os-release's VERSION_ID, and this machine's os-release"
                + " (ID=" + id + ") has none; pass --btf.path with this kernel's BTF file instead"));
        return root.resolve(id).resolve(version).resolve(arch.btfArchiveArch());
    }
}
