package dev.ebpfexporter.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Programs that only tests use (promtool, openssl, systemd-socket-activate): the build does not
 * install them, so each test that runs one checks for it first. Missing under CI is a failure,
 * elsewhere a loud skip; either way the message names the Debian package to install.
 */
public final class TestTools {
    private TestTools() {
    }

    /** Fails (CI) or skips the test when {@code command} is not on the PATH or in /usr/sbin. */
    public static void require(String command, String debianPackage) {
        BpfAvailability.requireThat(find(command) != null, command + " is not installed (Debian package "
                + debianPackage + ": apt-get install " + debianPackage + ", or scripts/install-deps.sh all)");
    }

    static Path find(String command) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin" + File.pathSeparator
                + "/usr/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return Path.of(dir, command);
            }
        }
        return null;
    }
}
