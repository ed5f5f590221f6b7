package dev.ebpfexporter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.TestTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes validated by src/test/kubernetes/validate.mjs: the Kubernetes and Prometheus
 * operator schemas from the kubernetes-models npm packages, plus a strict field check by tsc
 * against their types. Installs those packages (pinned) with npm into the build directory.
 */
class KubernetesManifestsIT {
    private static final Path MANIFESTS = Path.of("deploy/kubernetes");
    private static Path checker;

    @BeforeAll
    static void installChecker() throws Exception {
        TestTools.require("node", "nodejs");
        TestTools.require("npm", "npm");
        Path root = BpfAvailability.projectRoot();
        checker = Path.of(System.getenv("EBPF_EXPORTER_BUILD")).resolve("kubernetes-check");
        Files.createDirectories(checker);
        for (String file : List.of("package.json", "validate.mjs")) {
            Files.copy(root.resolve("src/test/kubernetes").resolve(file), checker.resolve(file),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Result npm = run(List.of("npm", "install", "--no-audit", "--no-fund", "--silent"), 600);
        assertThat(npm.code).as(npm.output).isZero();
    }

    private record Result(int code, String output) {
    }

    private static Result run(List<String> command, int seconds) throws Exception {
        Process process = new ProcessBuilder(command).directory(checker.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static List<String> validate(Path... files) {
        List<String> command = new ArrayList<>(List.of("node", "validate.mjs"));
        for (Path file : files) {
            command.add(file.toString());
        }
        return command;
    }

    @Test
    void everyManifestIsValidAndTheKustomizationListsThem() throws Exception {
        Path dir = BpfAvailability.projectRoot().resolve(MANIFESTS);
        List<Path> manifests;
        try (Stream<Path> files = Files.list(dir)) {
            manifests = files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml")).sorted().toList();
        }
        assertThat(manifests).extracting(f -> f.getFileName().toString())
                .containsExactly("daemonset.yaml", "namespace.yaml", "service.yaml", "servicemonitor.yaml");
        Result result = run(validate(manifests.toArray(Path[]::new)), 300);
        assertThat(result.code).as(result.output).isZero();
        assertThat(result.output).contains(
                "daemonset.yaml: apps/v1 DaemonSet ebpf-exporter: valid",
                "namespace.yaml: v1 Namespace monitoring: valid",
                "service.yaml: v1 Service ebpf-exporter: valid",
                "servicemonitor.yaml: monitoring.coreos.com/v1 ServiceMonitor ebpf-exporter: valid",
                "strict field check (tsc): 4 objects, no unknown fields");
        String kustomization = Files.readString(dir.resolve("kustomization.yaml"));
        assertThat(kustomization).contains("  - namespace.yaml\n  - daemonset.yaml\n  - service.yaml\n");
        // What a BPF agent needs, held here so that an edit cannot drop it unnoticed.
        String daemonSet = Files.readString(dir.resolve("daemonset.yaml"));
        assertThat(daemonSet).contains("hostPID: true", "add: [BPF, PERFMON, SYS_RESOURCE, SYSLOG]",
                "mountPath: /sys/kernel/tracing", "mountPath: /sys/fs/bpf", "prometheus.io/scrape: \"true\"");
    }

    @Test
    void aWrongTypeAndAMisspeltFieldAreBothCaught() throws Exception {
        String daemonSet = Files.readString(BpfAvailability.projectRoot().resolve(MANIFESTS).resolve("daemonset.yaml"));
        Path wrongType = checker.resolve("wrong-type.yaml");
        Files.writeString(wrongType, daemonSet.replace("hostPID: true", "hostPID: \"yes\""));
        Result typeResult = run(validate(wrongType), 300);
        assertThat(typeResult.code).isEqualTo(1);
        assertThat(typeResult.output).contains("spec/template/spec/hostPID must be boolean");

        Path misspelt = checker.resolve("misspelt.yaml");
        Files.writeString(misspelt, daemonSet.replace("add: [BPF", "adds: [BPF"));
        Result fieldResult = run(validate(misspelt), 300);
        assertThat(fieldResult.code).isEqualTo(1);
        assertThat(fieldResult.output).contains("'\"adds\"' does not exist in type 'ICapabilities'");
    }
}
