package dev.ebpfexporter.bcc;

import dev.ebpfexporter.btf.KernelBtf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A compiler with a cache directory shared by the test run (vmlinux.h is generated once). */
final class TestCompilers {
    private static Path cacheDir;

    private TestCompilers() {
    }

    static synchronized Path cacheDir() {
        if (cacheDir == null) {
            try {
                cacheDir = Files.createTempDirectory("bcc-test-cache");
                Path created = cacheDir;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(created)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cacheDir;
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    static BccCompiler compiler() {
        return new BccCompiler(ClangToolchain.system(KernelBtf.SYSFS), ObjectCache.at(cacheDir()));
    }

    static Path resource(String name) {
        String root = System.getenv().getOrDefault("EBPF_EXPORTER_ROOT", ".");
        return Path.of(root, "src/test/resources/dev/ebpfexporter/bcc", name).toAbsolutePath();
    }

    /** A v1 config with one program around {@code code}, written to {@code dir}. Code starts at YAML line 8. */
    static Path config(Path dir, String name, String attach, String code) throws IOException {
        StringBuilder yaml = new StringBuilder()
                .append("programs:\n")
                .append("  - name: ").append(name).append('\n')
                .append("    metrics:\n")
                .append("      counters: []\n")
                .append("    ").append(attach.replace("\n", "\n    ")).append('\n');
        while (yaml.toString().split("\n", -1).length < 7) {
            yaml.append("    # filler\n");
        }
        yaml.append("    code: |\n");
        for (String line : code.split("\n", -1)) {
            yaml.append(line.isEmpty() ? "" : "      " + line).append('\n');
        }
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml.toString());
        List<String> lines = Files.readAllLines(file);
        if (!lines.get(6).equals("    code: |")) {
            throw new IllegalStateException("attach block too long for the fixed layout: " + lines);
        }
        return file;
    }
}
