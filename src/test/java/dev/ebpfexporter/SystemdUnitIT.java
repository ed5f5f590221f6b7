package dev.ebpfexporter;

import dev.ebpfexporter.testing.Ports;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.Samples;
import dev.ebpfexporter.testing.Scrapes;
import dev.ebpfexporter.testing.TestTools;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/systemd: systemd-analyze verify finds nothing, and the service's ExecStart, run with the
 * unit's environment, its capability bounding set and no-new-privileges, under
 * systemd-socket-activate (what the .socket unit does), serves a scrape from the distribution.
 * The unit's paths name /opt/ebpf_exporter; the test points them at the built distribution. The
 * tarball's install.sh, run where the tree was put, writes the units and the AOT cache for that prefix.
 *
 * <p>systemd-run needs systemd as PID 1. Where it is not (this project's VMs: PID 1 is the sandbox's
 * own init and {@code systemctl is-system-running} says "offline"), the test says so and runs the
 * unit's command line as described; the file-system protections (ProtectSystem=strict, ...) are then
 * checked by systemd-analyze only.
 */
@Tag("dist")
class SystemdUnitIT {
    private static final Path UNITS = Path.of("deploy/systemd");
    private static final String PREFIX = "/opt/ebpf_exporter";

    private static Path dist() throws IOException {
        Path build = Path.of(System.getenv("EBPF_EXPORTER_BUILD"));
        try (Stream<Path> dirs = Files.list(build.resolve("dist"))) {
            return dirs.filter(Files::isDirectory).findFirst().orElseThrow(() -> new AssertionError("no dist in " + build));
        }
    }

    /** The unit with /opt/ebpf_exporter replaced by the distribution's directory, nothing else changed. */
    private static String installed(String unit) throws IOException {
        return Files.readString(BpfAvailability.projectRoot().resolve(UNITS).resolve(unit)).replace(PREFIX, dist().toString());
    }

    @Test
    void systemdAnalyzeVerifyFindsNothing(@TempDir Path dir) throws Exception {
        TestTools.require("systemd-analyze", "systemd");
        Files.writeString(dir.resolve("ebpf_exporter.service"), installed("ebpf_exporter.service"));
        Files.writeString(dir.resolve("ebpf_exporter.socket"), installed("ebpf_exporter.socket"));
        Process verify = new ProcessBuilder("systemd-analyze", "verify",
                dir.resolve("ebpf_exporter.service").toString(), dir.resolve("ebpf_exporter.socket").toString())
                .redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).isEmpty();
        assertThat(verify.exitValue()).isZero();
    }

    @Test
    void serviceCommandServesOnTheActivatedSocketWithTheUnitsCapabilities(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        TestTools.require("systemd-socket-activate", "systemd");
        String pid1 = Files.readString(Path.of("/proc/1/comm")).strip();
        System.out.println("SystemdUnitIT: PID 1 is " + pid1 + (pid1.equals("systemd")
                ? "" : ": no systemd-run here, running the unit's ExecStart under systemd-socket-activate"));
        Map<String, List<String>> service = section(installed("ebpf_exporter.service"), "Service");
        Map<String, String> environment = new LinkedHashMap<>();
        for (String assignment : service.get("Environment")) {
            environment.put(assignment.substring(0, assignment.indexOf('=')), assignment.substring(assignment.indexOf('=') + 1));
        }
        List<String> command = expand(service.get("ExecStart").getFirst(), environment);
        assertThat(command).contains("--web.listen-address=fd://0");
        String bounding = "-all," + String.join(",", service.get("CapabilityBoundingSet").getFirst().split(" ")).toLowerCase(Locale.ROOT)
                .replace("cap_", "+");
        assertThat(service.get("NoNewPrivileges")).containsExactly("true");

        int port = Ports.free();
        List<String> argv = new ArrayList<>(List.of("env", "-i", "PATH=/usr/bin:/bin"));
        environment.forEach((key, value) -> argv.add(key + "=" + value));
        argv.addAll(List.of("systemd-socket-activate", "-l", "127.0.0.1:" + port,
                "setpriv", "--bounding-set=" + bounding, "--no-new-privs"));
        argv.addAll(command);
        Path log = dir.resolve("exporter.log");
        Process exporter = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String metrics = Scrapes.firstMetrics(URI.create("http://127.0.0.1:" + port + "/metrics"), exporter::isAlive,
                    log, Duration.ofSeconds(90));
            Samples samples = Samples.parse(metrics);
            assertThat(samples.named("ebpf_exporter_enabled_configs")).extracting(s -> s.label("name"))
                    .containsExactlyInAnyOrder(environment.get("CONFIG_NAMES").split(","));
            assertThat(samples.named("ebpf_exporter_ebpf_program_attached")).isNotEmpty()
                    .allSatisfy(s -> assertThat(s.value()).isEqualTo(1.0));
            String capabilities = Files.readAllLines(Path.of("/proc/" + exporter.pid() + "/status")).stream()
                    .filter(line -> line.startsWith("CapBnd:")).findFirst().orElseThrow();
            System.out.println("SystemdUnitIT: exporter " + capabilities);
            assertThat(Long.parseLong(capabilities.substring(7).strip(), 16) & (1L << 21)).as("no CAP_SYS_ADMIN").isZero();
            exporter.destroy();
            assertThat(exporter.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // A clean stop is status 0, a success to systemd without SuccessExitStatus.
            assertThat(exporter.exitValue()).isZero();
            assertThat(service).doesNotContainKey("SuccessExitStatus");
        } finally {
            exporter.destroyForcibly();
            exporter.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 10, unit = TimeUnit.MINUTES)
    void installAtAnotherPrefixWritesUnitsAndTheAotCacheForThatPrefix(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        TestTools.require("systemd-analyze", "systemd");
        Path prefix = dir.resolve("srv/ebpf_exporter");
        Files.createDirectories(prefix.getParent());
        assertThat(run(dir, "cp", "-a", dist().toString(), prefix.toString())).isZero();
        // The tarball's cache is made for /opt/ebpf_exporter: here the JVM refuses it (AOTMode=on)...
        assertThat(run(dir, "env", "JAVA_OPTS=-XX:AOTMode=on", prefix.resolve("bin/ebpf_exporter").toString(), "--version"))
                .as("the tarball's AOT cache at another prefix").isNotZero();
        Path units = dir.resolve("units");
        assertThat(run(dir, prefix.resolve("install.sh").toString(), "--systemd-dir=" + units)).isZero();
        // ... after install.sh, the cache is the prefix's own and the units name the prefix.
        assertThat(run(dir, "env", "JAVA_OPTS=-XX:AOTMode=on", prefix.resolve("bin/ebpf_exporter").toString(), "--version"))
                .as("the AOT cache install.sh made").isZero();
        String service = Files.readString(units.resolve("ebpf_exporter.service"));
        assertThat(service).doesNotContain(PREFIX)
                .contains("ExecStart=" + prefix + "/bin/ebpf_exporter --config.dir=${CONFIG_DIR}")
                .contains("Environment=CONFIG_DIR=" + prefix + "/examples");
        assertThat(service.replace(prefix.toString(), PREFIX))
                .isEqualTo(Files.readString(BpfAvailability.projectRoot().resolve(UNITS).resolve("ebpf_exporter.service")));
        assertThat(Files.readString(units.resolve("ebpf_exporter.socket"))).doesNotContain(PREFIX);
        Process verify = new ProcessBuilder("systemd-analyze", "verify", units.resolve("ebpf_exporter.service").toString(),
                units.resolve("ebpf_exporter.socket").toString()).redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).isEmpty();
        // A second install finds the cache made for this prefix and leaves it.
        long made = Files.getLastModifiedTime(prefix.resolve("lib/ebpf-exporter.aot")).toMillis();
        assertThat(run(dir, prefix.resolve("install.sh").toString(), "--systemd-dir=" + units)).isZero();
        assertThat(Files.getLastModifiedTime(prefix.resolve("lib/ebpf-exporter.aot")).toMillis()).isEqualTo(made);
    }

    /** Runs a command with its output in the test's log; its exit status, within 3 minutes. */
    private static int run(Path dir, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
        System.out.println("SystemdUnitIT: " + String.join(" ", command) + " -> " + process.exitValue() + "\n" + output);
        return process.exitValue();
    }

    /** Key to values (in order) of one section of a unit file; comments and blank lines skipped. */
    private static Map<String, List<String>> section(String unit, String name) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String current = "";
        for (String line : unit.lines().toList()) {
            if (line.startsWith("[")) {
                current = line.substring(1, line.indexOf(']'));
            } else if (current.equals(name) && !line.isBlank() && !line.startsWith("#")) {
                int eq = line.indexOf('=');
                keys.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
            }
        }
        return keys;
    }

    private static final Pattern BRACED = Pattern.compile("\\$\\{(\\w+)}");

    /** systemd's expansion: ${VAR} inside a word, $VAR as a whole word split on spaces (empty: no word). */
    private static List<String> expand(String line, Map<String, String> environment) {
        List<String> words = new ArrayList<>();
        for (String word : line.split(" +")) {
            if (word.matches("\\$\\w+")) {
                for (String part : environment.getOrDefault(word.substring(1), "").split(" +")) {
                    if (!part.isEmpty()) {
                        words.add(part);
                    }
                }
            } else {
                Matcher m = BRACED.matcher(word);
                words.add(m.replaceAll(r -> Matcher.quoteReplacement(environment.getOrDefault(r.group(1), ""))));
            }
        }
        return words;
    }

}
