package dev.ebpfexporter.cli;

import dev.ebpfexporter.compat.TestPrograms;
import dev.ebpfexporter.compat.TracingSpansTest;
import dev.ebpfexporter.testing.Ports;
import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Privileges through the real launcher: --runas.user on every thread, root refused, --debug's warning. */
class SecurityIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Pattern TIMER_FUNCTION = Pattern.compile("ebpf_exporter_timer_starts_total\\{function=\"([^\"]+)\"}");

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(START).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The JVM: the launcher itself when it execs java, else its java descendant. */
    private static long jvm(Launcher launcher) throws Exception {
        List<Long> candidates = new ArrayList<>(List.of(launcher.process.pid()));
        launcher.process.toHandle().descendants().forEach(h -> candidates.add(h.pid()));
        for (long pid : candidates) {
            if (Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).contains("dev.ebpfexporter")) {
                return pid;
            }
        }
        throw new AssertionError("no JVM among " + candidates);
    }

    private static List<Map<String, String>> threads(long pid) throws Exception {
        List<Map<String, String>> result = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                Map<String, String> fields = new HashMap<>();
                for (String line : Files.readAllLines(task.resolve("status"))) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
                    }
                }
                result.add(fields);
            }
        }
        return result;
    }

    private static Set<String> timerFunctions(String body) {
        Set<String> functions = new TreeSet<>();
        Matcher m = TIMER_FUNCTION.matcher(body);
        while (m.find()) {
            functions.add(m.group(1));
        }
        return functions;
    }

    /**
     * A config directory with a thread of every kind loading starts: timers (ksym, read before the switch), oomkill
     * (a perf buffer's event pump), spans (a ring buffer's event pump) and cgroup_ids (the cgroup_id_map watcher).
     */
    private static Path everyKindOfThread(Path dir) throws Exception {
        for (String name : List.of("timers", "oomkill")) {
            for (String suffix : List.of(".yaml", ".bpf.o")) {
                Files.copy(BpfAvailability.examples().resolve(name + suffix), dir.resolve(name + suffix));
            }
        }
        TestPrograms.config(dir, "spans", "spans", TracingSpansTest.YAML);
        TestPrograms.config(dir, "cgroup_ids", "cgroup_ids", TestPrograms.cgroupIds("cgroup_id_map", "hash",
                "^.*/system[.]slice/.*$"));
        return dir;
    }

    @Test
    @Timeout(180)
    void runAsUserLeavesNoThreadWithUidZeroCapabilitiesOrAWayBackAndScrapesGoOn(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        int port = Ports.free();
        try (Launcher launcher = Launcher.start("--config.dir=" + everyKindOfThread(dir),
                "--config.names=timers,oomkill,spans,cgroup_ids", "--web.listen-address=127.0.0.1:" + port,
                "--runas.user=nobody")) {
            launcher.awaitLog("running as nobody", START);
            assertThat(launcher.log()).containsPattern("running as nobody \\(uid 65534, gid 65534\\): all \\d+ threads"
                    + " checked: no capabilities, no_new_privs set");
            // Every task of the process, read from outside it: not only the threads Java started.
            List<Map<String, String>> threads = threads(jvm(launcher));
            assertThat(threads).hasSizeGreaterThan(10);
            assertThat(threads).extracting(t -> t.get("Name"))
                    .anyMatch(n -> n.startsWith("events-")).anyMatch(n -> n.startsWith("cgroup-id-map"))
                    .anyMatch(n -> n.startsWith("GC") || n.startsWith("G1")).anyMatch(n -> n.startsWith("C2") || n.startsWith("C1"));
            for (Map<String, String> status : threads) {
                String name = status.get("Name");
                assertThat(status.get("Uid")).as(name).isEqualTo("65534\t65534\t65534\t65534");
                assertThat(status.get("Gid")).as(name).isEqualTo("65534\t65534\t65534\t65534");
                assertThat(status.get("CapEff")).as(name).isEqualTo("0000000000000000");
                assertThat(status.get("CapPrm")).as(name).isEqualTo("0000000000000000");
                assertThat(status.get("CapAmb")).as(name).isEqualTo("0000000000000000");
                assertThat(status.get("NoNewPrivs")).as(name).isEqualTo("1");
                assertThat(status.get("Groups")).as(name).isEmpty();
            }
            // Scrapes read the maps through descriptors opened as root; ksym decodes from the symbols read before.
            Set<String> functions = Set.of();
            long deadline = System.nanoTime() + START.toNanos();
            while (functions.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(500);
                HttpResponse<String> scrape = get(port, "/metrics");
                assertThat(scrape.statusCode()).isEqualTo(200);
                functions = timerFunctions(scrape.body());
            }
            assertThat(functions).as("timer functions decoded after the switch").hasSizeGreaterThan(1)
                    .noneMatch(f -> f.startsWith("unknown_addr"));
        }
    }

    @Test
    @Timeout(120)
    void rootIsNotAUserToRunAs() throws Exception {
        try (Launcher launcher = Launcher.start("--config.dir=" + BpfAvailability.examples(), "--config.names=timers",
                "--runas.user=0")) {
            assertThat(launcher.waitForExit(START)).isEqualTo(1);
            assertThat(launcher.log()).contains("--runas.user: \"0\" is root (uid or gid 0); name an unprivileged user"
                    + " such as nobody");
        }
    }

    @Test
    @Timeout(120)
    void debugWithoutAuthWarnsThatMapsShowKernelAddresses() throws Exception {
        BpfAvailability.require();
        int port = Ports.free();
        try (Launcher launcher = Launcher.start("--config.dir=" + BpfAvailability.examples(), "--config.names=timers",
                "--web.listen-address=127.0.0.1:" + port, "--debug")) {
            launcher.awaitLog("listening on", START);
            launcher.awaitLog("/maps shows", START);
            assertThat(launcher.log()).contains("--debug without basic_auth_users in --web.config.file: /maps shows raw"
                    + " kernel addresses to anyone who can reach 127.0.0.1:" + port);
        }
    }
}
