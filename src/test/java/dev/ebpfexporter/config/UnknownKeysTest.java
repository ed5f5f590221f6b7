package dev.ebpfexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Keys a config format does not know: the reference ignores them, so by default each is one warning line
 * (file:line, the key's path, did-you-mean) and the config reads as if it were not there; under
 * {@code --config.strict} ({@link UnknownKeys#REFUSE}) the first one is the error.
 */
class UnknownKeysTest {
    private static final String WITH_UNKNOWN_KEYS = """
            owner: team-x
            metrics:
              counters:
                - name: timer_starts_total
                  help: Kernel timers armed
                  lables: []
                  labels:
                    - name: function
                      size: 8
                      decoders:
                        - name: ksym
                          staticmap: {}
            """;
    private static final String WITHOUT = """
            metrics:
              counters:
                - name: timer_starts_total
                  help: Kernel timers armed
                  labels:
                    - name: function
                      size: 8
                      decoders:
                        - name: ksym
            """;

    private final List<String> warnings = new ArrayList<>();

    private ExporterConfig parse(UnknownKeys unknownKeys, String yaml) throws ConfigException {
        return new ConfigLoader(unknownKeys).parse("t", Path.of("t.yaml"), Path.of("t.bpf.o"), yaml);
    }

    @Test
    void eachUnknownKeyIsOneWarningLineAndTheConfigReadsAsWithoutIt() throws ConfigException {
        ExporterConfig config = parse(UnknownKeys.warn(warnings::add), WITH_UNKNOWN_KEYS);
        assertThat(warnings).containsExactly(
                "t.yaml:1: owner: unknown key \"owner\" ignored (expected one of: cgroup_id_map, kaddrs, metrics, name, tracing)",
                "t.yaml:6: metrics.counters[0].lables: unknown key \"lables\" ignored (did you mean \"labels\"?)",
                "t.yaml:12: metrics.counters[0].labels[0].decoders[0].staticmap: unknown key \"staticmap\" ignored"
                        + " (did you mean \"static_map\"?)");
        ExporterConfig without = parse(UnknownKeys.REFUSE, WITHOUT);
        assertThat(config.counters()).hasSize(1);
        assertThat(config.counters().getFirst().name()).isEqualTo(without.counters().getFirst().name());
        assertThat(config.counters().getFirst().labels()).extracting(LabelConfig::name, LabelConfig::size)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("function", 8));
        assertThat(config.counters().getFirst().labels().getFirst().decoders()).extracting(DecoderConfig::name)
                .containsExactly("ksym");
    }

    @Test
    void underStrictTheFirstUnknownKeyIsTheError() {
        assertThatThrownBy(() -> parse(UnknownKeys.REFUSE, WITH_UNKNOWN_KEYS))
                .isInstanceOf(ConfigException.class)
                .hasMessage("t.yaml:1: owner: unknown key \"owner\" (expected one of: cgroup_id_map, kaddrs, metrics, name, tracing)");
    }

    @Test
    void aTopLevelWithoutOneKnownKeyIsNoConfigEvenWhenUnknownKeysAreIgnored() {
        assertThatThrownBy(() -> parse(UnknownKeys.warn(warnings::add), "metric:\n  counters: []\nowner: x\n"))
                .hasMessage("t.yaml:1: metric: unknown key \"metric\" (did you mean \"metrics\"?)");
        assertThat(warnings).isEmpty();
    }

    @Test
    void aWarnedKeyDoesNotHideTheErrorItCauses() {
        String misspeltName = "metrics:\n  counters:\n    - nmae: c\n      help: h\n";
        assertThatThrownBy(() -> parse(UnknownKeys.warn(warnings::add), misspeltName))
                .hasMessage("t.yaml:3: metrics.counters[0].name: required key is missing");
        assertThat(warnings).containsExactly(
                "t.yaml:3: metrics.counters[0].nmae: unknown key \"nmae\" ignored (did you mean \"name\"?)");
    }

    @Test
    void duplicateKeysStayErrors() {
        assertThatThrownBy(() -> parse(UnknownKeys.warn(warnings::add), WITHOUT + "metrics: {}\n"))
                .hasMessage("t.yaml:10: metrics: duplicate key \"metrics\" (first on line 1)");
    }
}
