package dev.ebpfexporter.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UsageTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(int width, String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        Usage.install(commandLine);
        commandLine.setUsageHelpAutoWidth(false);
        commandLine.setUsageHelpWidth(width);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void missingConfigNamesIsOneLineWithAHintToHelp() {
        assertThat(run(80, "--config.dir=examples")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("ebpf_exporter: Missing required option: '--config.names=NAMES'; "
                + "run ebpf_exporter --help for the list of flags" + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anUnknownFlagIsOneLineWithSuggestions() {
        assertThat(run(80, "--config.dir=examples", "--config.names=x", "--config.dri=y")).isEqualTo(1);
        assertThat(err.toString().lines().toList()).singleElement().asString()
                .startsWith("ebpf_exporter: Unknown option: '--config.dri=y'")
                .contains("did you mean --config.dir")
                .endsWith("; run ebpf_exporter --help for the list of flags");
    }

    @Test
    void helpKeepsEveryFlagOfTheSynopsisWholeOnOneLine() {
        for (int width : List.of(55, 80, 120)) {
            out.getBuffer().setLength(0);
            assertThat(run(width, "--help")).isZero();
            String help = out.toString();
            String synopsis = help.substring(0, help.indexOf("Prometheus exporter for eBPF"));
            for (String flag : List.of("[--btf.path=FILE]", "[--log.level=LEVEL]", "[--web.config.file=FILE]",
                    "[--web.telemetry-path=PATH]", "--config.names=NAMES", "--config.dir=DIR", "[--config.strict]",
                    "[--config.allow-failures]", "[-hV]")) {
                assertThat(synopsis).as("width %d:\n%s", width, synopsis).contains(flag);
            }
            assertThat(synopsis.lines()).as("width %d", width)
                    .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(width));
            assertThat(synopsis).startsWith("Usage: ebpf_exporter [-hV] ");
        }
    }
}
