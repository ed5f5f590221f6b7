package dev.ebpfexporter.build;

import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's first command, {@code ./mvnw -q package -DskipTests}, says what it is doing, one line per phase
 * (a first build takes minutes), and nothing else: each slow phase has a line before it, and a quiet build
 * prints that line alone.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BuildProgressIT {
    private static final Pattern PROGRESS = Pattern.compile(
            "<id>progress-[a-z]+</id>\\s*<phase>([a-z-]+)</phase>(?s:.*?)<argument>(ebpf_exporter build: [^<]+)</argument>");

    @Test
    void everySlowPhaseOfAPackageBuildSaysWhatItDoes() throws Exception {
        String pom = Files.readString(BpfAvailability.projectRoot().resolve("pom.xml"));
        List<String> phases = new ArrayList<>();
        Matcher m = PROGRESS.matcher(pom);
        while (m.find()) {
            phases.add(m.group(1));
        }
        // The tools check, the BPF examples (clang), javac, the test programs and javac again, the jar.
        assertThat(phases).containsExactly("validate", "generate-resources", "process-resources",
                "generate-test-resources", "prepare-package");
    }

    @Test
    void aQuietBuildPrintsItsProgressLineAndNothingElse() throws Exception {
        Process maven = new ProcessBuilder(BpfAvailability.projectRoot().resolve("mvnw").toString(), "-q", "-B", "-o",
                "validate").directory(BpfAvailability.projectRoot().toFile()).redirectErrorStream(true).start();
        String output = new String(maven.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(maven.waitFor(4, TimeUnit.MINUTES)).isTrue();
        assertThat(maven.exitValue()).as(output).isZero();
        assertThat(output).isEqualTo("ebpf_exporter build: checking the build tools (clang, llvm, bpftool, make, gcc, patch)\n");
    }
}
