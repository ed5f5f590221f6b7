package dev.ebpfexporter.cli;

import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.InlinePrograms;
import dev.ebpfexporter.testing.Scrapes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a new user sees in the first hour, through the launcher: each failure is one line that says
 * what happened and what to do, and the counts in the log are right.
 */
class FirstHourIT {
    private static final Duration EXIT = Duration.ofSeconds(90);
    private static final List<String> NOBODY = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");

    @TempDir
    Path dir;

    @Test
    void missingConfigNamesIsOneLineWithAHintToHelp() throws Exception {
        try (Launcher launcher = Launcher.start("--config.dir=examples")) {
            assertThat(launcher.waitForExit(EXIT)).isEqualTo(1);
            assertThat(launcher.logLines()).containsExactly("ebpf_exporter: Missing required option: "
                    + "'--config.names=NAMES'; run ebpf_exporter --help for the list of flags");
        }
    }

    @Test
    void aUserWithoutPrivilegesIsToldWhatIsMissingAndItStops() throws Exception {
        BpfAvailability.require(); // root, to switch to nobody
        String setting = Files.readString(Path.of("/proc/sys/kernel/unprivileged_bpf_disabled")).strip();
        try (Launcher launcher = Launcher.start(NOBODY, List.of("--config.dir=examples", "--config.names=timers",
                "--web.listen-address=127.0.0.1:0"), Map.of())) {
            assertThat(launcher.waitForExit(EXIT)).as(launcher.log()).isEqualTo(1);
            assertThat(launcher.log()).contains("level=error source=Main msg=\"cannot load BPF programs: not root and"
                    + " without CAP_BPF and CAP_PERFMON (uid 65534, kernel.unprivileged_bpf_disabled=" + setting
                    + "); run as root, or grant CAP_BPF and CAP_PERFMON (plus CAP_SYS_RESOURCE on kernels before 5.11),"
                    + " e.g. with AmbientCapabilities= in the systemd unit\"\n")
                    // libbpf itself says nothing: the start-up line naming our copy is the only mention.
                    .doesNotContain("source=libbpf").doesNotContain("listening on");
            assertThat(launcher.log().lines().filter(line -> line.contains("libbpf")))
                    .singleElement().asString().contains("source=Main msg=\"libbpf 1.5 from ");
        }
    }

    @Test
    void aUserWithoutPrivilegesWhoAsksToGoOnIsWarnedAndServed() throws Exception {
        BpfAvailability.require(); // root, to switch to nobody
        try (Launcher launcher = Launcher.start(NOBODY, List.of("--config.dir=examples", "--config.names=timers",
                "--config.allow-failures", "--web.listen-address=127.0.0.1:0"), Map.of())) {
            launcher.awaitLog("listening on", Duration.ofSeconds(60));
            assertThat(launcher.log()).contains("level=warn source=Main msg=\"--config.allow-failures: going on anyway:"
                    + " cannot load BPF programs: not root and without CAP_BPF and CAP_PERFMON (uid 65534")
                    .contains(", 0 of 1 configs loaded, ");
        }
    }

    @Test
    void anUnreadableTlsKeySaysPermissionDenied() throws Exception {
        BpfAvailability.require(); // root, to switch to nobody
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("web.yml"), "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n");
        Files.writeString(dir.resolve("cert.pem"), "not read this far\n");
        Files.writeString(dir.resolve("key.pem"), "secret\n");
        Files.setPosixFilePermissions(dir.resolve("key.pem"), PosixFilePermissions.fromString("rw-------"));
        try (Launcher launcher = Launcher.start(NOBODY, List.of("--config.dir=examples", "--config.names=timers",
                "--web.listen-address=127.0.0.1:0", "--web.config.file=" + dir.resolve("web.yml")), Map.of())) {
            assertThat(launcher.waitForExit(EXIT)).as(launcher.log()).isEqualTo(1);
            assertThat(launcher.log()).contains("msg=\"--web.config.file: " + dir.resolve("web.yml")
                    + ":3: tls_server_config.key_file: cannot read " + dir.resolve("key.pem") + ": permission denied\"\n");
        }
        Files.setPosixFilePermissions(dir.resolve("web.yml"), PosixFilePermissions.fromString("rw-------"));
        try (Launcher launcher = Launcher.start(NOBODY, List.of("--config.dir=examples", "--config.names=timers",
                "--web.listen-address=127.0.0.1:0", "--web.config.file=" + dir.resolve("web.yml")), Map.of())) {
            assertThat(launcher.waitForExit(EXIT)).as(launcher.log()).isEqualTo(1);
            assertThat(launcher.log()).contains("msg=\"--web.config.file: " + dir.resolve("web.yml")
                    + ": cannot read config: permission denied\"\n");
        }
    }

    @Test
    void aTakenPortSaysAddressAlreadyInUseAndWhoHoldsIt() throws Exception {
        BpfAvailability.require();
        String command = Files.readString(Path.of("/proc/self/comm")).strip();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Launcher launcher = Launcher.start("--config.dir=examples", "--config.names=timers",
                     "--web.listen-address=127.0.0.1:" + taken.getLocalPort())) {
            assertThat(launcher.waitForExit(EXIT)).as(launcher.log()).isEqualTo(1);
            assertThat(launcher.log()).contains("level=error source=Main msg=\"cannot listen on 127.0.0.1:"
                    + taken.getLocalPort() + ": address already in use (held by pid " + ProcessHandle.current().pid()
                    + ": " + command + ")\"\n");
        }
    }

    /**
     * One program that does not compile and one that does not attach leave the good one running (with
     * --config.allow-failures, as any failed config needs); the counts add up.
     */
    @Test
    void aBrokenProgramOfAnInlineFileLeavesTheOthersAndTheCountsAreRight() throws Exception {
        BpfAvailability.require();
        Files.writeString(dir.resolve("mixed.yaml"), "programs:\n"
                + InlinePrograms.syscallCounter("good", "first_hour_syscalls_total") + """
                  - name: broken
                    raw_tracepoints:
                      sys_enter: broken_probe
                    code: |
                      int broken_probe(struct bpf_raw_tracepoint_args *ctx) {
                          return this_does_not_compile;
                      }
                  - name: unattached
                    uprobes:
                      /nonexistent/first-hour-binary:main: on_main
                    code: |
                      int on_main(struct pt_regs *ctx) {
                          return 0;
                      }
                """);
        int port = Ports.free();
        try (Launcher launcher = Launcher.start("--config.dir=" + dir, "--config.names=mixed",
                "--config.allow-failures", "--web.listen-address=127.0.0.1:" + port)) {
            launcher.awaitLog("listening on", Duration.ofSeconds(120));
            assertThat(launcher.log()).contains("msg=\"config mixed/broken: " + dir.resolve("mixed.yaml"))
                    .contains("this_does_not_compile")
                    .contains("config mixed/unattached: program on_main (uprobe/")
                    .contains("/127.0.0.1:" + port + " (/metrics), 2 of 3 configs loaded, started in ");
            assertThat(Scrapes.metrics(port)).contains("ebpf_exporter_enabled_configs{name=\"mixed/good\"} 1")
                    .contains("ebpf_exporter_enabled_configs{name=\"mixed/unattached\"} 1")
                    .contains("ebpf_exporter_first_hour_syscalls_total{slot=\"0\"} ");
        }
        try (Launcher launcher = Launcher.start("--config.dir=" + dir, "--config.names=mixed", "--config.strict",
                "--web.listen-address=127.0.0.1:0")) {
            assertThat(launcher.waitForExit(EXIT)).as(launcher.log()).isEqualTo(1);
            assertThat(launcher.log()).contains("msg=\"1 config(s) failed to load: mixed/broken, exiting\"\n");
        }
        // Without the broken one, strict counts the program that did not attach.
        String yaml = Files.readString(dir.resolve("mixed.yaml"));
        Files.writeString(dir.resolve("attach.yaml"), yaml.substring(0, yaml.indexOf("  - name: broken"))
                + yaml.substring(yaml.indexOf("  - name: unattached")));
        try (Launcher launcher = Launcher.start("--config.dir=" + dir, "--config.names=attach", "--config.strict",
                "--web.listen-address=127.0.0.1:0")) {
            assertThat(launcher.waitForExit(EXIT)).as(launcher.log()).isEqualTo(1);
            assertThat(launcher.log()).contains("msg=\"--config.strict: missed attachments (config:program):"
                    + " attach/unattached:on_main, exiting\"\n");
        }
    }

    /**
     * Without tracefs the exporter mounts it (as root) so that inline {@code syscalls:} tracepoints
     * compile and attach. In a mount namespace of its own: tracefs stays mounted for everyone else.
     */
    @Test
    void withoutTracefsTheExporterMountsItForSyscallTracepoints() throws Exception {
        BpfAvailability.require();
        Files.writeString(dir.resolve("reads.yaml"), """
                programs:
                  - name: reads
                    metrics:
                      counters:
                        - name: first_hour_read_exits_total
                          help: read() calls returned
                          table: exits
                          labels:
                            - name: slot
                              size: 4
                              decoders:
                                - name: uint
                    tracepoints:
                      syscalls:sys_exit_read: tracepoint__syscalls__sys_exit_read
                    code: |
                      BPF_ARRAY(exits, u64, 1);
                      TRACEPOINT_PROBE(syscalls, sys_exit_read) {
                          exits.increment(0);
                          return 0;
                      }
                """);
        List<String> unmounted = List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "umount /sys/kernel/tracing 2>/dev/null; umount /sys/kernel/debug/tracing 2>/dev/null;"
                        + " if [ -d /sys/kernel/tracing/events ]; then echo 'tracefs still mounted' >&2; exit 3; fi;"
                        + " exec \"$0\" \"$@\"");
        int port = Ports.free();
        try (Launcher launcher = Launcher.start(unmounted, List.of("--config.dir=" + dir, "--config.names=reads",
                "--config.strict", "--web.listen-address=127.0.0.1:" + port), Map.of())) {
            launcher.awaitLog("listening on", Duration.ofSeconds(120));
            assertThat(launcher.log()).contains("msg=\"mounted tracefs at /sys/kernel/tracing")
                    .contains("1 of 1 configs loaded");
            assertThat(Scrapes.metrics(port)).contains("ebpf_exporter_ebpf_program_attached{id=")
                    .doesNotContain("ebpf_exporter_ebpf_program_attached{id=\"0\"}")
                    .contains("ebpf_exporter_first_hour_read_exits_total{slot=\"0\"} ");
        }
        assertThat(Path.of("/sys/kernel/tracing/events")).as("tracefs outside the namespace").isDirectory();
    }
}
