package dev.ebpfexporter.build;

import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every module the exporter requires is used by its code (an import of one of its packages in src/main), or is
 * listed here with why it is needed though nothing imports it: a jar nobody uses is shipped in every install.
 * Jars only tests use (client_java's own writers, to compare ours with) belong in the test scope.
 */
class RequiredModulesTest {
    /** Required without an import in src/main, and why. */
    private static final Map<String, String> USED_WITHOUT_IMPORT = Map.of(
            "io.prometheus.metrics.core", "instrumentation-jvm's JvmMetrics is built of client_java core metrics",
            "io.prometheus.metrics.config", "client_java core and instrumentation-jvm read their PrometheusProperties",
            "io.opentelemetry.exporter.otlp", "the SDK's autoconfigure finds the OTLP exporters in it as a service");

    @Test
    void everyRequiredModuleIsUsed() throws IOException {
        Path root = BpfAvailability.projectRoot();
        String moduleInfo = Files.readString(root.resolve("src/main/java/module-info.java"));
        String code = mainSources(root);
        ModuleDescriptor self = getClass().getModule().getDescriptor();
        assertThat(self).as("tests run inside the dev.ebpfexporter module").isNotNull();
        List<String> unused = new ArrayList<>();
        Matcher requires = Pattern.compile("(?m)^\\s*requires\\s+([\\w.]+)\\s*;").matcher(moduleInfo);
        while (requires.find()) {
            String name = requires.group(1);
            if (USED_WITHOUT_IMPORT.containsKey(name)) {
                continue;
            }
            Set<String> packages = ModuleLayer.boot().findModule(name).or(() -> getClass().getModule().getLayer()
                    .findModule(name)).orElseThrow(() -> new AssertionError(name + " is required but not resolved"))
                    .getPackages();
            boolean imported = packages.stream().anyMatch(p -> code.contains("import " + p + ".")
                    || code.contains("import static " + p + "."));
            if (!imported) {
                unused.add(name);
            }
        }
        assertThat(unused).as("modules required by module-info.java that no src/main file imports").isEmpty();
    }

    private static String mainSources(Path root) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(root.resolve("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                all.append(Files.readString(file)).append('\n');
            }
        }
        return all.toString();
    }
}
