package dev.ebpfexporter.bcc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tools run as root come from the system directories and get a fixed environment: {@code PATH} and the variables
 * clang, its include search and the dynamic loader read cannot reach them.
 */
class TrustedToolsTest {
    @TempDir
    Path dir;

    @Test
    void clangIsTakenFromTheSystemDirectoriesNotFromPath() throws IOException {
        Path clang = TrustedTools.find("clang");
        assertThat(clang).isAbsolute();
        assertThat(TrustedTools.DIRECTORIES).contains(clang.getParent());
    }

    @Test
    void aToolIsNamedNotGivenByPath() {
        assertThatThrownBy(() -> TrustedTools.find("/tmp/clang")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a tool is named, not given by path: /tmp/clang");
        assertThatThrownBy(() -> TrustedTools.find("../bin/clang")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aToolOthersCanReplaceIsRefusedNotPassedOver() throws IOException {
        Path tool = Files.writeString(dir.resolve("tool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> TrustedTools.find("tool", List.of(dir, Path.of("/usr/bin"))))
                .isInstanceOf(IOException.class)
                .hasMessage(tool + ": is writable by others (mode 0777) (the exporter runs tool as root only from a"
                        + " root-owned directory)");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(TrustedTools.find("tool", List.of(dir, Path.of("/usr/bin")))).isEqualTo(tool);
    }

    @Test
    void aMissingToolNamesWhereItWasLookedFor() {
        assertThatThrownBy(() -> TrustedTools.find("no-such-tool-here")).isInstanceOf(IOException.class)
                .hasMessage("no-such-tool-here not found in /usr/local/sbin, /usr/local/bin, /usr/sbin, /usr/bin, /sbin,"
                        + " /bin (the exporter does not search PATH for tools it runs as root)");
    }

    @Test
    void aToolSeesOnlyTheFixedEnvironment() throws IOException {
        ProcessRunner.Result result = ProcessRunner.run(List.of("env"), null);
        assertThat(result.exitCode()).isZero();
        Map<String, String> seen = new TreeMap<>();
        result.stdout().lines().forEach(line -> seen.put(line.substring(0, line.indexOf('=')),
                line.substring(line.indexOf('=') + 1)));
        assertThat(seen).isEqualTo(Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "LC_ALL", "C"));
    }
}
