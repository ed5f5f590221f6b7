package dev.ebpfexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private static final Path RESOURCES = Path.of("src/test/resources/config");

    @Test
    void everyKeyParsesIntoTheRecords() throws ConfigException {
        ExporterConfig config = new ConfigLoader().load(RESOURCES, "full");
        Path file = RESOURCES.resolve("full.yaml");

        assertThat(config.name()).isEqualTo("full");
        assertThat(config.file()).isEqualTo(file);
        assertThat(config.objectFile()).isEqualTo(RESOURCES.resolve("full.bpf.o"));

        CounterConfig oom = config.counters().get(0);
        assertThat(oom.name()).isEqualTo("oom_kills_total");
        assertThat(oom.map()).isEqualTo("oom_kills_total");
        assertThat(oom.help()).isEqualTo("OOM kills");
        assertThat(oom.perfEventArray()).isTrue();
        assertThat(oom.flushInterval()).isEqualTo(Duration.ofMinutes(90));
        assertThat(oom.values()).isEmpty();
        assertThat(oom.source()).isEqualTo(new Source(file, 5));
        assertThat(oom.labels()).hasSize(2);
        LabelConfig cgroup = oom.labels().get(0);
        assertThat(cgroup).isEqualTo(new LabelConfig("cgroup", 8, 0, List.of(
                new DecoderConfig("uint", Map.of(), List.of(), false, new Source(file, 13)),
                new DecoderConfig("cgroup", Map.of(), List.of(), false, new Source(file, 14))),
                new Source(file, 10)));
        LabelConfig op = oom.labels().get(1);
        assertThat(op.size()).isEqualTo(1);
        assertThat(op.padding()).isEqualTo(3);
        assertThat(op.width()).isEqualTo(4);
        assertThat(oom.keySize()).isEqualTo(12);
        DecoderConfig staticMap = op.decoders().get(0);
        assertThat(staticMap.name()).isEqualTo("static_map");
        assertThat(staticMap.allowUnknown()).isTrue();
        // Keys keep their text, whether written as ints, hex or strings; a null value is "".
        assertThat(staticMap.staticMap()).containsExactlyInAnyOrderEntriesOf(
                Map.of("1", "read", "0x2", "write", "three", "3", "4", ""));
        assertThat(op.decoders().get(1)).isEqualTo(
                new DecoderConfig("regexp", Map.of(), List.of("^read$", "^w.*"), false, new Source(file, 26)));

        CounterConfig complex = config.counters().get(1);
        assertThat(complex.values()).containsExactly(
                new ValueConfig("block_rq_completions_total", "Total number of block request completions",
                        new Source(file, 38)),
                new ValueConfig("block_rq_completed_bytes_total", "Total bytes", new Source(file, 40)));
        assertThat(complex.perfEventArray()).isFalse();

        HistogramConfig bio = config.histograms().get(0);
        assertThat(bio.name()).isEqualTo("bio_latency_seconds");
        assertThat(bio.map()).isEqualTo("bio_latency_seconds");
        assertThat(bio.bucketType()).isEqualTo(BucketType.EXP2);
        assertThat(bio.bucketMultiplier()).isEqualTo(0.000001);
        assertThat(bio.bucketMin()).isZero();
        assertThat(bio.bucketMax()).isEqualTo(26);
        assertThat(bio.bucketKeys()).isEmpty();
        assertThat(bio.labels()).extracting(LabelConfig::name).containsExactly("device", "bucket");
        assertThat(bio.keySize()).isEqualTo(12);

        HistogramConfig fixed = config.histograms().get(1);
        assertThat(fixed.bucketType()).isEqualTo(BucketType.FIXED);
        assertThat(fixed.bucketMultiplier()).isEqualTo(2.0);
        assertThat(fixed.bucketKeys()).containsExactly(1.0, 2.5, 10.0, 1000.0);
        assertThat(fixed.labels().get(0).decoders()).isEmpty();

        assertThat(config.metrics()).extracting(MetricConfig::name).containsExactly(
                "oom_kills_total", "block_rq_completions", "bio_latency_seconds", "fixed_hist");

        SpanConfig span = config.spans().getFirst();
        assertThat(span.name()).isEqualTo("exec");
        assertThat(span.ringbuf()).isEqualTo("exec_spans");
        assertThat(span.service()).isEqualTo("exec-trace");
        assertThat(span.labels()).extracting(LabelConfig::name).containsExactly("trace_id");
        assertThat(span.source()).isEqualTo(new Source(file, 68));

        assertThat(config.kaddrs()).containsExactly("bpf_jit_current", "jiffies");
        assertThat(config.cgroupIdMap()).contains(new CgroupIdMapConfig("cgroup_filter", "cgrp_storage",
                List.of("^.*(system.slice/.*)$"), new Source(file, 80)));
    }

    @Test
    void defaultsMatchTheReference() throws ConfigException {
        ExporterConfig config = parse("""
                metrics:
                  counters:
                    - name: c
                      help: h
                  histograms:
                    - name: hist
                      help: h
                      bucket_type: linear
                      labels:
                        - name: bucket
                          size: 4
                cgroup_id_map:
                  name: ids
                """);
        CounterConfig counter = config.counters().getFirst();
        assertThat(counter.labels()).isEmpty(); // reads key u32 0
        assertThat(counter.perfEventArray()).isFalse();
        assertThat(counter.flushInterval()).isEqualTo(Duration.ZERO); // never flushed
        assertThat(counter.values()).isEmpty();
        HistogramConfig histogram = config.histograms().getFirst();
        assertThat(histogram.bucketMultiplier()).isEqualTo(1.0);
        assertThat(histogram.bucketMin()).isZero();
        assertThat(histogram.bucketMax()).isZero();
        LabelConfig label = histogram.labels().getFirst();
        assertThat(label.padding()).isZero();
        assertThat(label.decoders()).isEmpty();
        assertThat(config.cgroupIdMap().orElseThrow().type()).isEqualTo("hash");
        assertThat(config.cgroupIdMap().orElseThrow().regexps()).isEmpty();
        assertThat(config.spans()).isEmpty();
        assertThat(config.kaddrs()).isEmpty();
    }

    @Test
    void decoderDefaults() throws ConfigException {
        DecoderConfig decoder = parse("""
                metrics:
                  counters:
                    - name: c
                      help: h
                      labels:
                        - name: l
                          size: 8
                          decoders:
                            - name: static_map
                              static_map: {1: one}
                """).counters().getFirst().labels().getFirst().decoders().getFirst();
        assertThat(decoder.allowUnknown()).isFalse();
        assertThat(decoder.regexps()).isEmpty();
        assertThat(decoder.staticMap()).isEqualTo(Map.of("1", "one"));
    }

    @Test
    void anExplicitZeroMultiplierMeansOneLikeTheReference() throws ConfigException {
        assertThat(histogramWith("bucket_multiplier: 0").bucketMultiplier()).isEqualTo(1.0);
        assertThat(histogramWith("bucket_multiplier: 1e-6").bucketMultiplier()).isEqualTo(1e-6);
    }

    @Test
    void nativeHistogramIsUnsetUnlessTheConfigSaysSo() throws ConfigException {
        assertThat(histogramWith("bucket_multiplier: 1").nativeHistogram()).isNull();
        assertThat(histogramWith("native_histogram: true").nativeHistogram()).isTrue();
        assertThat(histogramWith("native_histogram: false").nativeHistogram()).isFalse();
    }

    @Test
    void exp2zeroAndNegativeBucketMinParse() throws ConfigException {
        HistogramConfig histogram = parse("""
                metrics:
                  histograms:
                    - name: h
                      help: h
                      bucket_type: exp2zero
                      bucket_min: -3
                      bucket_max: 17
                      labels: [{name: bucket, size: 8}]
                """).histograms().getFirst();
        assertThat(histogram.bucketType()).isEqualTo(BucketType.EXP2ZERO);
        assertThat(histogram.bucketMin()).isEqualTo(-3);
        assertThat(histogram.bucketMax()).isEqualTo(17);
    }

    @Test
    void equalBucketMinAndMaxIsAccepted() throws ConfigException {
        // The reference only complains at scrape time; a single bucket is not a config error here either.
        assertThat(histogramWith("bucket_min: 5\n      bucket_max: 5").bucketMax()).isEqualTo(5);
    }

    @Test
    void scalarsAreTypedLikeGoYaml() throws ConfigException {
        CounterConfig counter = parse("""
                metrics:
                  counters:
                    - name: 123
                      help: "quoted: yes"
                      perf_event_array: on
                      flush_interval: 1000000000
                      labels:
                        - name: l
                          size: 0x10
                """).counters().getFirst();
        assertThat(counter.name()).isEqualTo("123");
        assertThat(counter.help()).isEqualTo("quoted: yes");
        assertThat(counter.perfEventArray()).isTrue();
        assertThat(counter.flushInterval()).isEqualTo(Duration.ofSeconds(1)); // integers are nanoseconds in Go
        assertThat(counter.labels().getFirst().size()).isEqualTo(16);
    }

    @Test
    void tracingOnlyConfigsAreValid() throws ConfigException {
        ExporterConfig config = parse("""
                tracing:
                  spans:
                    - name: stitch
                      ringbuf: stitch_spans
                """);
        assertThat(config.metrics()).isEmpty();
        assertThat(config.spans().getFirst().service()).isEmpty();
        assertThat(config.spans().getFirst().labels()).isEmpty();
    }

    @Test
    void anchorsAndAliasesAreResolved() throws ConfigException {
        ExporterConfig config = parse("""
                metrics:
                  counters:
                    - name: a
                      help: h
                      labels: &labels
                        - name: cpu
                          size: 2
                    - name: b
                      help: h
                      labels: *labels
                """);
        assertThat(config.counters().get(1).labels()).extracting(LabelConfig::name).containsExactly("cpu");
    }

    @Test
    void inlineConfigsAreLeftToTheBccPackage() {
        String text = """
                # inline
                programs:
                  - name: timers
                """;
        assertThatThrownBy(() -> new ConfigLoader().parse("timers", Path.of("t.yaml"), Path.of("t.bpf.o"), text))
                .isInstanceOf(ConfigException.class)
                .hasMessage("t.yaml:2: inline (programs:) configs are handled by the bcc package");
    }

    @Test
    void loadReadsTheFileAndNamesTheObject(@TempDir Path dir) throws IOException, ConfigException {
        Files.writeString(dir.resolve("biolatency.yaml"), "metrics:\n  counters:\n    - {name: c, help: h}\n");
        ExporterConfig config = new ConfigLoader().load(dir, "biolatency");
        assertThat(config.name()).isEqualTo("biolatency");
        assertThat(config.file()).isEqualTo(dir.resolve("biolatency.yaml"));
        assertThat(config.objectFile()).isEqualTo(dir.resolve("biolatency.bpf.o"));
        assertThat(config.counters()).extracting(CounterConfig::name).containsExactly("c");
    }

    @Test
    void aMissingFileIsAnError(@TempDir Path dir) {
        assertThatThrownBy(() -> new ConfigLoader().load(dir, "nope"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("nope.yaml") + ": config file does not exist");
    }

    @Test
    void aBinaryFileIsAnError(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("bin.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThatThrownBy(() -> new ConfigLoader().load(dir, "bin"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("bin.yaml") + ":1: not a text file (invalid UTF-8)");
    }

    @Test
    void theBundledExamplesLoad() throws ConfigException {
        ExporterConfig timers = new ConfigLoader().load(Path.of("examples"), "timers");
        assertThat(timers.counters()).extracting(CounterConfig::name).containsExactly("timer_starts_total");
        assertThat(timers.counters().getFirst().labels().getFirst().decoders())
                .extracting(DecoderConfig::name).containsExactly("ksym");
    }

    @Test
    void parseNamesTrimsAndKeepsOrder() throws ConfigException {
        assertThat(ConfigLoader.parseNames("timers, biolatency ,oomkill")).containsExactly("timers", "biolatency", "oomkill");
        assertThat(ConfigLoader.parseNames("timers")).containsExactly("timers");
    }

    @Test
    void parseNamesRejectsEmptyAndDuplicateNames() {
        assertThatThrownBy(() -> ConfigLoader.parseNames("timers,,bio"))
                .hasMessage("--config.names: empty name at position 2 in \"timers,,bio\"");
        assertThatThrownBy(() -> ConfigLoader.parseNames("timers,"))
                .hasMessage("--config.names: empty name at position 2 in \"timers,\"");
        assertThatThrownBy(() -> ConfigLoader.parseNames(" "))
                .hasMessage("--config.names: no config names given");
        assertThatThrownBy(() -> ConfigLoader.parseNames("timers, bio, timers"))
                .hasMessage("--config.names: duplicate name \"timers\"");
    }

    private static HistogramConfig histogramWith(String extra) throws ConfigException {
        return parse("""
                metrics:
                  histograms:
                    - name: h
                      help: h
                      bucket_type: exp2
                      %s
                      labels: [{name: bucket, size: 8}]
                """.formatted(extra)).histograms().getFirst();
    }

    static ExporterConfig parse(String yaml) throws ConfigException {
        return new ConfigLoader().parse("t", Path.of("t.yaml"), Path.of("t.bpf.o"), yaml);
    }
}
