package dev.ebpfexporter.config;

import dev.ebpfexporter.bcc.V1ConfigParser;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing the config readers (jqwik; tries from {@code jqwik.tries.default}, see docs/safety.md): the
 * bundled v2 configs and an inline (v1) config, damaged by random edits, and YAML documents generated from
 * the config's own vocabulary. Every input must end in a config or in a {@link ConfigException} whose
 * message is one line naming the file, within 5 seconds (a hang shows); any other exception is a finding.
 */
class ConfigFuzzTest {
    private static final Path ROOT = Path.of(System.getenv().getOrDefault("EBPF_EXPORTER_ROOT", ".")).toAbsolutePath();
    private static final Path FILE = Path.of("/fuzz/config.yaml");
    private static final List<String> V2_SEEDS = seeds(ROOT.resolve("examples"));
    private static final String V1_SEED = read(ROOT.resolve("src/test/resources/dev/ebpfexporter/bcc/timers.yaml"));
    /** Text YAML gives meaning to, and text that tends to reach the readers' edge cases. */
    private static final List<String> FRAGMENTS = List.of(":", "- ", "\n", "  ", "\t", "#", "&a ", "*a", "!!str ",
            "!!binary ", "|", ">", "'", "\"", "{", "}", "[", "]", ",", "? ", "---\n", "...\n", "%YAML 1.2\n", "<<: *a\n",
            "~", "null", "true", "yes", "0x10", "-1", "1e400", "9223372036854775808", ".nan", "NaN", "\u202e", "\u0000",
            "\ufeff", "\\u0000", "size: ", "decoders:", "- name: ", "labels:", "bucket_type: ", "exp2", "linear",
            "fixed", "bucket_keys: [", "static_map:", "regexps:", "(", "*+", "a{99999}", "perf_event_array: ");
    private static Path v1Dir;

    @BeforeContainer
    static void v1Dir() throws IOException {
        v1Dir = Files.createTempDirectory("config-fuzz");
    }

    @AfterContainer
    static void removeV1Dir() throws IOException {
        try (Stream<Path> files = Files.walk(v1Dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static List<String> seeds(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> seeds = files.filter(f -> f.toString().endsWith(".yaml")).sorted().map(ConfigFuzzTest::read).toList();
            if (seeds.isEmpty()) {
                throw new IllegalStateException("no example configs in " + dir);
            }
            return seeds;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One edit of a text: where (a fraction of its length), what, and how long a stretch it replaces. */
    record Edit(double at, int kind, int length, String text) {
        String apply(String in) {
            int start = (int) (at * in.length());
            int end = Math.min(in.length(), start + length);
            return switch (kind) {
                case 0 -> in.substring(0, start) + in.substring(end); // cut
                case 1 -> in.substring(0, start) + text + in.substring(start); // insert
                case 2 -> in.substring(0, start) + text + in.substring(end); // replace
                case 3 -> in.substring(0, start) + in.substring(start, end) + in.substring(start); // repeat
                default -> { // move a line's indentation
                    int line = in.lastIndexOf('\n', Math.max(0, start - 1)) + 1;
                    yield in.substring(0, line) + " ".repeat(length % 5) + in.substring(line).stripLeading();
                }
            };
        }
    }

    @Provide
    Arbitrary<List<Edit>> edits() {
        Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.of(FRAGMENTS),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(8),
                Arbitraries.strings().all().ofMaxLength(4));
        Arbitrary<Edit> edit = Combinators.combine(Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 40), text).as(Edit::new);
        return edit.list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> v2Seeds() {
        return Arbitraries.of(V2_SEEDS);
    }

    @Property
    void aDamagedConfigLoadsOrFailsInOneLine(@ForAll("v2Seeds") String seed, @ForAll("edits") List<Edit> edits) {
        String text = seed;
        for (Edit edit : edits) {
            text = edit.apply(text);
        }
        parseV2(text);
    }

    @Property
    void aDamagedInlineConfigLoadsOrFailsInOneLine(@ForAll("edits") List<Edit> edits) throws IOException {
        String text = V1_SEED;
        for (Edit edit : edits) {
            text = edit.apply(text);
        }
        Path file = v1Dir.resolve("timers.yaml");
        Files.write(file, text.getBytes(StandardCharsets.UTF_8)); // a lone surrogate becomes '?'
        long start = System.nanoTime();
        try {
            V1ConfigParser.parse(file);
        } catch (ConfigException e) {
            assertOneLine(e, file.toString());
        }
        assertFast(start, text);
    }

    /** A YAML document from the config's vocabulary: maps of known keys, lists, and scalars of every kind. */
    @Provide
    Arbitrary<String> generatedConfigs() {
        Arbitrary<String> scalar = Arbitraries.oneOf(Arbitraries.of("0", "1", "8", "16", "-1", "65537", "4097", "1e-6",
                        "2.5", "true", "yes", "null", "~", "\"\"", "exp2", "exp2zero", "linear", "fixed", "uint", "string",
                        "ksym", "kstack", "regexp", "static_map", "inet_ip", "hex", "syscall", "1h", "-5s", "cpu", "[]", "{}"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12),
                Arbitraries.integers().map(String::valueOf));
        Arbitrary<String> key = Arbitraries.of("metrics", "counters", "histograms", "name", "help", "labels", "size",
                "padding", "decoders", "bucket_type", "bucket_min", "bucket_max", "bucket_multiplier", "bucket_keys",
                "static_map", "regexps", "allow_unknown", "perf_event_array", "flush_interval", "values", "kaddrs",
                "cgroup_id_map", "type", "tracing", "spans", "ringbuf", "service", "native_histogram", "unknown_key");
        Arbitrary<String> node = Arbitraries.recursive(() -> scalar,
                inner -> Arbitraries.oneOf(
                        Combinators.combine(key, inner).as((k, v) -> "{" + k + ": " + v + "}"),
                        Combinators.combine(key, inner, key, inner).as((k1, v1, k2, v2) -> "{" + k1 + ": " + v1 + ", " + k2 + ": " + v2 + "}"),
                        inner.list().ofMaxSize(3).map(items -> "[" + String.join(", ", items) + "]")),
                0, 6);
        return Combinators.combine(node, node).as((metrics, rest) -> "metrics: " + metrics + "\nextra: " + rest + "\n");
    }

    @Property
    void aGeneratedConfigLoadsOrFailsInOneLine(@ForAll("generatedConfigs") String text) {
        parseV2(text);
    }

    private static void parseV2(String text) {
        long start = System.nanoTime();
        try {
            new ConfigLoader().parse("config", FILE, Path.of("/fuzz/config.bpf.o"), text);
        } catch (ConfigException e) {
            assertOneLine(e, FILE.toString());
        }
        assertFast(start, text);
    }

    private static void assertOneLine(ConfigException e, String file) {
        assertThat(e.getMessage()).as("error message").startsWith(file).doesNotContain("\n").doesNotContain("\r");
    }

    private static void assertFast(long start, String text) {
        List<String> shown = new ArrayList<>(List.of(text.length() > 400 ? text.substring(0, 400) + "..." : text));
        assertThat((System.nanoTime() - start) / 1e9).as("seconds to read %s", shown).isLessThan(5.0);
    }
}
