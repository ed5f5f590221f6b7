package dev.ebpfexporter.bcc;

import dev.ebpfexporter.trust.TrustedPaths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where the tools the exporter runs as root (clang, bpftool, mount) are taken from: a fixed list of system
 * directories, never {@code PATH}, which whoever starts the exporter chooses (a {@code clang} earlier in it ran as
 * root with the whole command line). The first directory that has the tool wins; the tool, links resolved, and
 * every directory above it must be root's alone, else it is refused rather than passed over.
 */
final class TrustedTools {
    /** The directories searched, in order: those of a root shell's default {@code PATH}. */
    static final List<Path> DIRECTORIES = List.of(Path.of("/usr/local/sbin"), Path.of("/usr/local/bin"),
            Path.of("/usr/sbin"), Path.of("/usr/bin"), Path.of("/sbin"), Path.of("/bin"));

    private TrustedTools() {
    }

    /** The absolute path of {@code name} in {@link #DIRECTORIES}. */
    static Path find(String name) throws IOException {
        return find(name, DIRECTORIES);
    }

    static Path find(String name, List<Path> directories) throws IOException {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("a tool is named, not given by path: " + name);
        }
        for (Path directory : directories) {
            Path tool = directory.resolve(name);
            if (!Files.exists(tool, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Optional<String> problem = TrustedPaths.problem(tool, true);
            if (problem.isPresent()) {
                throw new IOException(tool + ": " + problem.get() + " (the exporter runs " + name
                        + " as root only from a root-owned directory)");
            }
            if (!Files.isExecutable(tool)) {
                throw new IOException(tool + ": is not executable");
            }
            return tool;
        }
        throw new IOException(name + " not found in " + directories.stream().map(Path::toString)
                .collect(Collectors.joining(", ")) + " (the exporter does not search PATH for tools it runs as root)");
    }
}
