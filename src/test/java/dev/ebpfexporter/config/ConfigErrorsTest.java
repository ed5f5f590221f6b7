package dev.ebpfexporter.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each invalid config gives exactly one one-line error naming file, line and field. */
class ConfigErrorsTest {
    private static final String COUNTER = """
            metrics:
              counters:
                - name: c
                  help: h
            """;

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("unknown key with suggestion", """
                        metrics:
                          counters:
                            - name: c
                              help: h
                              lables: []
                        """, "t.yaml:5: metrics.counters[0].lables: unknown key \"lables\" (did you mean \"labels\"?)"),
                Arguments.of("unknown key far from any known one", """
                        metrics:
                          counters:
                            - name: c
                              help: h
                              colour: red
                        """, "t.yaml:5: metrics.counters[0].colour: unknown key \"colour\" (expected one of: "
                        + "expire_after, flush_interval, help, labels, name, overflow_series, perf_event_array, values)"),
                Arguments.of("unknown top-level key", "metric:\n  counters: []\n",
                        "t.yaml:1: metric: unknown key \"metric\" (did you mean \"metrics\"?)"),
                Arguments.of("table is inline-only", COUNTER + "      table: counts\n",
                        "t.yaml:5: metrics.counters[0].table: unknown key \"table\" (expected one of: "
                        + "expire_after, flush_interval, help, labels, name, overflow_series, perf_event_array, values)"),
                Arguments.of("unknown key in a decoder", COUNTER + """
                              labels:
                                - name: l
                                  size: 8
                                  decoders:
                                    - name: static_map
                                      staticmap: {}
                        """, "t.yaml:10: metrics.counters[0].labels[0].decoders[0].staticmap: unknown key "
                        + "\"staticmap\" (did you mean \"static_map\"?)"),
                Arguments.of("duplicate key", """
                        metrics:
                          counters:
                            - name: c
                              help: h
                              name: d
                        """, "t.yaml:5: metrics.counters[0].name: duplicate key \"name\" (first on line 3)"),
                Arguments.of("size not an integer", COUNTER + """
                              labels:
                                - name: function
                                  size: abc
                        """, "t.yaml:7: metrics.counters[0].labels[0].size: expected a positive integer, got \"abc\""),
                Arguments.of("quoted size is a string, as in Go", COUNTER + """
                              labels:
                                - name: function
                                  size: "8"
                        """, "t.yaml:7: metrics.counters[0].labels[0].size: expected a positive integer, got \"8\""),
                Arguments.of("size zero", COUNTER + """
                              labels:
                                - name: function
                                  size: 0
                        """, "t.yaml:7: metrics.counters[0].labels[0].size: expected a positive integer, got 0"),
                Arguments.of("size negative", COUNTER + """
                              labels:
                                - name: function
                                  size: -4
                        """, "t.yaml:7: metrics.counters[0].labels[0].size: expected a positive integer, got -4"),
                Arguments.of("negative padding", COUNTER + """
                              labels:
                                - name: function
                                  size: 1
                                  padding: -3
                        """, "t.yaml:8: metrics.counters[0].labels[0].padding: expected a non-negative integer, got -3"),
                Arguments.of("missing label name", COUNTER + """
                              labels:
                                - size: 8
                        """, "t.yaml:6: metrics.counters[0].labels[0].name: required key is missing"),
                Arguments.of("missing label size", COUNTER + """
                              labels:
                                - name: function
                        """, "t.yaml:6: metrics.counters[0].labels[0].size: required key is missing"),
                Arguments.of("duplicate label name", COUNTER + """
                              labels:
                                - {name: cpu, size: 2}
                                - {name: cpu, size: 2}
                        """, "t.yaml:7: metrics.counters[0].labels[1].name: duplicate label name \"cpu\" (first on line 6)"),
                Arguments.of("missing help", """
                        metrics:
                          counters:
                            - name: c
                        """, "t.yaml:3: metrics.counters[0].help: required key is missing"),
                Arguments.of("missing name", """
                        metrics:
                          histograms:
                            - help: h
                        """, "t.yaml:3: metrics.histograms[0].name: required key is missing"),
                Arguments.of("empty help", """
                        metrics:
                          counters:
                            - name: c
                              help: ""
                        """, "t.yaml:4: metrics.counters[0].help: must not be empty"),
                Arguments.of("null name", """
                        metrics:
                          counters:
                            - name:
                              help: h
                        """, "t.yaml:3: metrics.counters[0].name: must not be empty"),
                Arguments.of("decoder without a name", COUNTER + """
                              labels:
                                - name: l
                                  size: 8
                                  decoders:
                                    - static_map: {1: one}
                        """, "t.yaml:9: metrics.counters[0].labels[0].decoders[0].name: required key is missing"),
                Arguments.of("decoders not a list", COUNTER + """
                              labels:
                                - name: l
                                  size: 8
                                  decoders: uint
                        """, "t.yaml:8: metrics.counters[0].labels[0].decoders: expected a list, got \"uint\""),
                Arguments.of("counters not a list", "metrics:\n  counters: {name: c}\n",
                        "t.yaml:2: metrics.counters: expected a list, got a map"),
                Arguments.of("label not a map", COUNTER + "      labels: [cpu]\n",
                        "t.yaml:5: metrics.counters[0].labels[0]: expected a map, got \"cpu\""),
                Arguments.of("help not a string", """
                        metrics:
                          counters:
                            - name: c
                              help: [a, b]
                        """, "t.yaml:4: metrics.counters[0].help: expected a string, got a list"),
                Arguments.of("bad boolean", COUNTER + "      perf_event_array: sure\n",
                        "t.yaml:5: metrics.counters[0].perf_event_array: expected true or false, got \"sure\""),
                Arguments.of("quoted boolean", COUNTER + "      perf_event_array: \"yes\"\n",
                        "t.yaml:5: metrics.counters[0].perf_event_array: expected true or false, got \"yes\""),
                Arguments.of("list for a boolean", COUNTER + "      perf_event_array: [yes]\n",
                        "t.yaml:5: metrics.counters[0].perf_event_array: expected true or false, got a list"),
                Arguments.of("bad duration", COUNTER + "      flush_interval: 5 minutes\n",
                        "t.yaml:5: metrics.counters[0].flush_interval: expected a duration like \"30s\" or "
                        + "\"1m30s\", got \"5 minutes\""),
                Arguments.of("negative duration", COUNTER + "      flush_interval: -1s\n",
                        "t.yaml:5: metrics.counters[0].flush_interval: must not be negative, got \"-1s\""),
                Arguments.of("expire_after of zero", COUNTER + "      expire_after: 0s\n",
                        "t.yaml:5: metrics.counters[0].expire_after: must be a positive duration, got \"0s\""),
                Arguments.of("expire_after not a duration", COUNTER + "      expire_after: 10 minutes\n",
                        "t.yaml:5: metrics.counters[0].expire_after: expected a duration like \"30s\" or "
                        + "\"1m30s\", got \"10 minutes\""),
                Arguments.of("expire_after on a perf_event_array counter",
                        COUNTER + "      perf_event_array: true\n      expire_after: 10m\n",
                        "t.yaml:6: metrics.counters[0].expire_after: is for counters read from a map; a "
                        + "perf_event_array counter forgets its series every flush_interval"),
                Arguments.of("overflow_series not a boolean", COUNTER + "      overflow_series: sometimes\n",
                        "t.yaml:5: metrics.counters[0].overflow_series: expected true or false, got \"sometimes\""),
                Arguments.of("value without help", COUNTER + "      values:\n        - name: v\n",
                        "t.yaml:6: metrics.counters[0].values[0].help: required key is missing"),
                Arguments.of("histogram without labels", """
                        metrics:
                          histograms:
                            - name: h
                              help: h
                              bucket_type: exp2
                        """, "t.yaml:3: metrics.histograms[0]: a histogram needs at least one label "
                        + "(the last one is the bucket index)"),
                Arguments.of("native_histogram not a boolean", """
                        metrics:
                          histograms:
                            - name: h
                              help: h
                              bucket_type: exp2
                              native_histogram: sometimes
                              labels:
                                - name: bucket
                                  size: 4
                                  decoders:
                                    - name: uint
                        """, "t.yaml:6: metrics.histograms[0].native_histogram: expected true or false, got \"sometimes\""),
                Arguments.of("histogram with empty labels", """
                        metrics:
                          histograms:
                            - name: h
                              help: h
                              bucket_type: exp2
                              labels: []
                        """, "t.yaml:6: metrics.histograms[0].labels: a histogram needs at least one label "
                        + "(the last one is the bucket index)"),
                Arguments.of("histogram without bucket_type", """
                        metrics:
                          histograms:
                            - name: h
                              help: h
                              labels: [{name: bucket, size: 8}]
                        """, "t.yaml:3: metrics.histograms[0].bucket_type: required key is missing"),
                Arguments.of("unknown bucket_type", histogram("bucket_type: exp3"),
                        "t.yaml:5: metrics.histograms[0].bucket_type: unknown bucket type \"exp3\" "
                        + "(did you mean \"exp2\"?)"),
                Arguments.of("bucket_type is case sensitive", histogram("bucket_type: Linear"),
                        "t.yaml:5: metrics.histograms[0].bucket_type: unknown bucket type \"Linear\" "
                        + "(did you mean \"linear\"?)"),
                Arguments.of("fixed without bucket_keys", histogram("bucket_type: fixed"),
                        "t.yaml:3: metrics.histograms[0].bucket_keys: required for bucket_type \"fixed\""),
                Arguments.of("fixed with empty bucket_keys", histogram("bucket_type: fixed\n      bucket_keys: []"),
                        "t.yaml:6: metrics.histograms[0].bucket_keys: must not be empty for bucket_type \"fixed\""),
                Arguments.of("bucket_keys out of order", histogram("bucket_type: fixed\n      bucket_keys: [1, 10, 5]"),
                        "t.yaml:6: metrics.histograms[0].bucket_keys[2]: bucket keys must be in ascending order, "
                        + "got 5 after 10"),
                Arguments.of("bucket_keys not numbers", histogram("bucket_type: fixed\n      bucket_keys: [1, x]"),
                        "t.yaml:6: metrics.histograms[0].bucket_keys[1]: expected a number, got \"x\""),
                Arguments.of("bucket_min above bucket_max", histogram("bucket_type: exp2\n      bucket_min: 5\n"
                        + "      bucket_max: 1"),
                        "t.yaml:6: metrics.histograms[0].bucket_min: bucket_min (5) is greater than bucket_max (1)"),
                Arguments.of("bucket_min above default bucket_max", histogram("bucket_type: exp2\n      bucket_min: 3"),
                        "t.yaml:6: metrics.histograms[0].bucket_min: bucket_min (3) is greater than bucket_max (0)"),
                Arguments.of("bucket_min not an integer", histogram("bucket_type: linear\n      bucket_min: 1.5"),
                        "t.yaml:6: metrics.histograms[0].bucket_min: expected an integer, got 1.5"),
                Arguments.of("multiplier not a number", histogram("bucket_type: exp2\n      bucket_multiplier: fast"),
                        "t.yaml:6: metrics.histograms[0].bucket_multiplier: expected a number, got \"fast\""),
                Arguments.of("negative multiplier", histogram("bucket_type: exp2\n      bucket_multiplier: -1"),
                        "t.yaml:6: metrics.histograms[0].bucket_multiplier: expected a positive number, got -1"),
                Arguments.of("duplicate metric name across kinds", """
                        metrics:
                          counters:
                            - name: x
                              help: h
                          histograms:
                            - name: x
                              help: h
                              bucket_type: exp2
                              labels: [{name: bucket, size: 8}]
                        """, "t.yaml:6: metrics.histograms[0].name: duplicate metric name \"x\" (first on line 3)"),
                Arguments.of("duplicate counter name", COUNTER + "    - name: c\n      help: again\n",
                        "t.yaml:5: metrics.counters[1].name: duplicate metric name \"c\" (first on line 3)"),
                Arguments.of("span without ringbuf", "tracing:\n  spans:\n    - name: s\n",
                        "t.yaml:3: tracing.spans[0].ringbuf: required key is missing"),
                Arguments.of("unknown span key", "tracing:\n  spans:\n    - {name: s, ringbuf: r, servce: x}\n",
                        "t.yaml:3: tracing.spans[0].servce: unknown key \"servce\" (did you mean \"service\"?)"),
                Arguments.of("unknown cgroup_id_map type", COUNTER + "cgroup_id_map:\n  name: m\n  type: array\n",
                        "t.yaml:7: cgroup_id_map.type: unknown cgroup_id_map type \"array\" "
                        + "(expected one of: cgrp_storage, hash)"),
                Arguments.of("cgroup_id_map without name", COUNTER + "cgroup_id_map:\n  regexps: [a]\n",
                        "t.yaml:6: cgroup_id_map.name: required key is missing"),
                Arguments.of("kaddrs not a list", COUNTER + "kaddrs: jiffies\n",
                        "t.yaml:5: kaddrs: expected a list, got \"jiffies\""),
                Arguments.of("empty kaddr", COUNTER + "kaddrs: [\"\"]\n",
                        "t.yaml:5: kaddrs[0]: must not be empty"),
                Arguments.of("nothing defined", "kaddrs: [jiffies]\n",
                        "t.yaml:1: defines no metrics (metrics.counters, metrics.histograms) and no tracing spans"),
                Arguments.of("empty metrics", "metrics:\n  counters: []\n",
                        "t.yaml:1: defines no metrics (metrics.counters, metrics.histograms) and no tracing spans"),
                Arguments.of("not YAML", "metrics:\n  counters:\n    - name: c\n   help: [\n",
                        "t.yaml:4: invalid YAML: while parsing a block mapping: expected <block end>, but found '<block mapping start>'"),
                Arguments.of("not YAML: tab indentation", "metrics:\n\tcounters: []\n",
                        "t.yaml:2: invalid YAML: while scanning for the next token: found character '\\t(TAB)' that "
                        + "cannot start any token. (Do not use \\t(TAB) for indentation)"),
                Arguments.of("two documents", COUNTER + "---\nmetrics: {}\n",
                        "t.yaml:5: invalid YAML: expected a single document in the stream: but found another document"),
                Arguments.of("empty file", "", "t.yaml:1: the file is empty"),
                Arguments.of("only comments", "# nothing here\n\n", "t.yaml:1: the file is empty"),
                Arguments.of("null document", "~\n", "t.yaml:1: the file is empty"),
                Arguments.of("top level is a list", "- metrics\n", "t.yaml:1: expected a map at the top level, got a list"),
                Arguments.of("top level is a scalar", "\nhello\n",
                        "t.yaml:2: expected a map at the top level, got \"hello\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void givesExactlyThisOneLineError(String what, String yaml, String expected) {
        assertThatThrownBy(() -> new ConfigLoader().parse("t", Path.of("t.yaml"), Path.of("t.bpf.o"), yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage(expected)
                .message().doesNotContain("\n");
    }

    private static String histogram(String lines) {
        return HistogramYaml.histogram(lines, "");
    }
}
