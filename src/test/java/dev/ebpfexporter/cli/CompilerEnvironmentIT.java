package dev.ebpfexporter.cli;

import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The environment the exporter is started with does not reach clang, which runs as root: a plugin named in
 * {@code CCC_OVERRIDE_OPTIONS} is never loaded (clang reads that variable and adds its options past the
 * {@code cflags} allow-list), and a {@code clang} earlier in {@code PATH} never runs.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CompilerEnvironmentIT {
    private static final Pattern COMPILED_TO = Pattern.compile("compiled to (\\S+)\\.bpf\\.o in ");

    @TempDir
    Path dir;

    @Test
    void neitherAPluginFromTheEnvironmentNorAClangEarlierInPathRunsAsRoot() throws Exception {
        BpfAvailability.require();
        Path pluginRan = dir.resolve("plugin-ran");
        Path fakeClangRan = dir.resolve("fake-clang-ran");
        // A real plugin: clang dlopens it, and its constructor leaves a file behind.
        Path pluginSource = Files.writeString(dir.resolve("plugin.c"), """
                #include <fcntl.h>
                #include <unistd.h>
                __attribute__((constructor)) static void loaded(void) {
                    int fd = open("%s", O_CREAT | O_WRONLY, 0600);
                    if (fd >= 0) close(fd);
                }
                """.formatted(pluginRan));
        Path plugin = dir.resolve("plugin.so");
        Process build = new ProcessBuilder("/usr/bin/clang", "-shared", "-fPIC", "-o", plugin.toString(),
                pluginSource.toString()).inheritIO().start();
        assertThat(build.waitFor()).isZero();
        // A clang that says it ran, then does the real work, so only the file tells it ran.
        Path fakeBin = Files.createDirectory(dir.resolve("bin"));
        Path fakeClang = Files.writeString(fakeBin.resolve("clang"),
                "#!/bin/sh\n: > '" + fakeClangRan + "'\nexec /usr/bin/clang \"$@\"\n");
        Files.setPosixFilePermissions(fakeClang, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("env.yaml"), """
                programs:
                  - name: env
                    metrics:
                      counters:
                        - name: compiler_env_calls_total
                          help: Calls
                          table: calls
                    raw_tracepoints:
                      sys_enter: on_enter
                    code: |
                      // %d: a source of its own, so the compile cache cannot skip clang
                      BPF_ARRAY(calls, u64, 1);
                      int on_enter(void *ctx) {
                          calls.increment(0);
                          return 0;
                      }
                """.formatted(System.nanoTime()));
        Map<String, String> env = Map.of("PATH", fakeBin + ":" + System.getenv("PATH"),
                "CCC_OVERRIDE_OPTIONS", "+-fplugin=" + plugin);
        try (Launcher launcher = Launcher.start(List.of(), List.of("--config.dir=" + dir, "--config.names=env",
                "--config.check"), env)) {
            assertThat(launcher.waitForExit(Duration.ofSeconds(120))).as(launcher.log()).isZero();
            String log = launcher.log();
            assertThat(pluginRan).as("a plugin from CCC_OVERRIDE_OPTIONS was loaded; log:%n%s", log).doesNotExist();
            assertThat(fakeClangRan).as("the clang earlier in PATH ran; log:%n%s", log).doesNotExist();
            Matcher compiled = COMPILED_TO.matcher(log);
            assertThat(compiled.find()).as(log).isTrue();
            for (String suffix : List.of(".bpf.o", ".bpf.o.sha256", ".bpf.c")) {
                Files.deleteIfExists(Path.of(compiled.group(1) + suffix));
            }
        }
    }
}
