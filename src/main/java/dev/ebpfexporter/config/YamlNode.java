package dev.ebpfexporter.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One node of a composed YAML document with its field path ({@code metrics.counters[0].name}), so that
 * every typed read can fail with a one-line {@code file:line: path: problem} error.
 *
 * <p>Scalars are typed here, from their text, the way the reference's Go YAML decoder does: numbers and
 * booleans must be plain (unquoted) scalars, while a string field takes any scalar's text.
 */
public final class YamlNode {
    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern PREFIXED = Pattern.compile("([-+]?)0([xob])([0-9a-fA-F]+)");
    private static final Pattern FLOAT = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");
    /** Messages quote at most this much of a value. */
    private static final int QUOTED_MAX = 120;
    private static final List<String> TRUE = List.of("true", "True", "TRUE", "yes", "Yes", "YES", "y", "Y", "on", "On", "ON");
    private static final List<String> FALSE = List.of("false", "False", "FALSE", "no", "No", "NO", "n", "N", "off", "Off", "OFF");

    private final Node node;
    private final Path file;
    private final String path;
    private final UnknownKeys unknownKeys;

    YamlNode(Node node, Path file, String path, UnknownKeys unknownKeys) {
        this.node = node;
        this.file = file;
        this.path = path;
        this.unknownKeys = unknownKeys;
    }

    /** Dotted path of this node from the document root, e.g. {@code metrics.counters[0].labels}. */
    public String path() {
        return path;
    }

    /** File and 1-based line where this node starts. */
    public Source source() {
        return new Source(file, node.getStartMark().map(m -> m.getLine() + 1).orElse(1));
    }

    private static final int EXCERPT = 24;

    /** A one-line error about this node: {@code file:line: path: what}. */
    public ConfigException error(String what) {
        return new ConfigException(located(what));
    }

    /** {@code file:line: path: what}: the line an error or a warning about this node prints. */
    public String located(String what) {
        return source() + ": " + (path.isEmpty() ? what : path + ": " + what);
    }

    /** True for an explicit null ({@code key:}, {@code ~}, {@code null}), which Go decodes as "not set". */
    public boolean isNull() {
        return node instanceof ScalarNode s && (Tag.NULL.equals(s.getTag()) || s.isPlain() && isNullText(s.getValue()));
    }

    public boolean isMap() {
        return node instanceof MappingNode;
    }

    public YamlMap asMap() throws ConfigException {
        if (node instanceof MappingNode m) {
            return new YamlMap(m, this);
        }
        throw error("expected a map, got " + describe());
    }

    /** The elements of a list; null counts as an empty list. */
    public List<YamlNode> asList() throws ConfigException {
        if (isNull()) {
            return List.of();
        }
        if (!(node instanceof SequenceNode seq)) {
            throw error("expected a list, got " + describe());
        }
        List<YamlNode> items = new ArrayList<>();
        for (Node item : seq.getValue()) {
            items.add(new YamlNode(item, file, path + "[" + items.size() + "]", unknownKeys));
        }
        return items;
    }

    /** The text of any non-null scalar (Go decodes {@code 123} into a string field as "123"). */
    public String asString() throws ConfigException {
        if (node instanceof ScalarNode s && !isNull()) {
            return s.getValue();
        }
        throw error("expected a string, got " + describe());
    }

    /** Like {@link #asString()} but also refuses the empty string. */
    public String asNonEmptyString() throws ConfigException {
        String text = asString();
        if (text.isEmpty()) {
            throw error("must not be empty");
        }
        return text;
    }

    /** A string that must be one of {@code allowed}; otherwise {@code unknown <what> "x" (did you mean ...)}. */
    public String asOneOf(String what, java.util.Collection<String> allowed) throws ConfigException {
        String text = asString();
        if (!allowed.contains(text)) {
            throw error("unknown " + what + " " + quote(text) + DidYouMean.suggest(text, allowed));
        }
        return text;
    }

    /** A list of strings (any scalar's text); null counts as an empty list. */
    public List<String> asStrings() throws ConfigException {
        List<String> out = new ArrayList<>();
        for (YamlNode item : asList()) {
            out.add(item.asString());
        }
        return out;
    }

    public int asInt() throws ConfigException {
        return parseInt().orElseThrow(() -> error("expected an integer, got " + describe()));
    }

    /** A 64-bit integer: decimal, or 0x/0o/0b prefixed. */
    public long asLong() throws ConfigException {
        String text = plainText();
        Optional<Long> value = text == null ? Optional.empty() : parseLong(text);
        return value.orElseThrow(() -> error("expected an integer, got " + describe()));
    }

    public int asPositiveInt() throws ConfigException {
        Optional<Integer> value = parseInt();
        if (value.isEmpty() || value.get() <= 0) {
            throw error("expected a positive integer, got " + describe());
        }
        return value.get();
    }

    public int asNonNegativeInt() throws ConfigException {
        Optional<Integer> value = parseInt();
        if (value.isEmpty() || value.get() < 0) {
            throw error("expected a non-negative integer, got " + describe());
        }
        return value.get();
    }

    /** A finite number; integers are accepted too. */
    public double asDouble() throws ConfigException {
        String text = plainText();
        if (text != null) {
            if (FLOAT.matcher(text).matches()) {
                double value = Double.parseDouble(text);
                if (Double.isFinite(value)) {
                    return value;
                }
            }
            Optional<Long> integer = parseLong(text);
            if (integer.isPresent()) {
                return integer.get();
            }
        }
        throw error("expected a number, got " + describe());
    }

    /** YAML 1.1 booleans as the reference's decoder reads them: true/false, yes/no, on/off, y/n. */
    public boolean asBoolean() throws ConfigException {
        String text = plainText(); // null for a quoted scalar, a list or a map: not a boolean
        if (text != null && TRUE.contains(text)) {
            return true;
        }
        if (text != null && FALSE.contains(text)) {
            return false;
        }
        throw error("expected true or false, got " + describe());
    }

    /** A Go duration ({@code 30s}, {@code 1m30s}, {@code 500ms}); a plain integer is nanoseconds, as in Go. */
    public Duration asDuration() throws ConfigException {
        String text = plainText();
        if (text != null) {
            Optional<Long> nanos = parseLong(text);
            if (nanos.isPresent()) {
                return Duration.ofNanos(nanos.get());
            }
        }
        if (node instanceof ScalarNode s && !isNull()) {
            Optional<Duration> parsed = GoDuration.parse(s.getValue());
            if (parsed.isPresent()) {
                return parsed.get();
            }
        }
        throw error("expected a duration like \"30s\" or \"1m30s\", got " + describe());
    }

    /** The line of the first line of a scalar's text: a block scalar ({@code |}, {@code >}) starts on the next line. */
    public int contentLine() {
        int line = source().line();
        if (node instanceof ScalarNode s
                && (s.getScalarStyle() == ScalarStyle.LITERAL || s.getScalarStyle() == ScalarStyle.FOLDED)) {
            return line + 1;
        }
        return line;
    }

    /** How the node looks in a message: {@code "abc"}, {@code 0}, {@code a list}, {@code nothing}. */
    public String describe() {
        if (isNull()) {
            return "nothing";
        }
        return switch (node) {
            case MappingNode m -> "a map";
            case SequenceNode s -> "a list";
            case ScalarNode s when s.isPlain() && FLOAT.matcher(s.getValue()).matches() -> s.getValue();
            case ScalarNode s -> quote(excerpt(s.getValue()));
            default -> "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** At most the first 24 characters of a value an error quotes: enough to find it, too little to leak a file. */
    static String excerpt(String value) {
        return value.length() <= EXCERPT ? value : value.substring(0, EXCERPT) + "...";
    }

    Node node() {
        return node;
    }

    Path file() {
        return file;
    }

    /** What the maps of this document do with keys their format does not know. */
    UnknownKeys unknownKeys() {
        return unknownKeys;
    }

    /** Another node of the same document. */
    YamlNode at(Node other, String otherPath) {
        return new YamlNode(other, file, otherPath, unknownKeys);
    }

    /** A number as a user would write it: {@code 10}, {@code 0.5}. */
    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    public static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        if (text.length() > QUOTED_MAX) {
            return quote(text.substring(0, QUOTED_MAX)) + "... (" + text.length() + " characters)";
        }
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static boolean isNullText(String text) {
        return text.isEmpty() || text.equals("~") || text.equals("null") || text.equals("Null") || text.equals("NULL");
    }

    /** The text of a plain (unquoted, untagged-as-string) scalar, or null. */
    private String plainText() {
        if (node instanceof ScalarNode s && s.isPlain() && !isNull()) {
            return s.getValue();
        }
        return null;
    }

    private Optional<Integer> parseInt() {
        String text = plainText();
        if (text == null) {
            return Optional.empty();
        }
        return parseLong(text).filter(v -> v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE).map(Long::intValue);
    }

    /** Decimal, or 0x/0o/0b prefixed, like Go's strconv with base 0. */
    private static Optional<Long> parseLong(String text) {
        try {
            if (DECIMAL.matcher(text).matches()) {
                return Optional.of(Long.parseLong(text));
            }
            var m = PREFIXED.matcher(text);
            if (m.matches()) {
                int radix = switch (m.group(2)) {
                    case "x" -> 16;
                    case "o" -> 8;
                    default -> 2;
                };
                long value = Long.parseLong(m.group(3), radix);
                return Optional.of(m.group(1).equals("-") ? -value : value);
            }
        } catch (NumberFormatException e) {
            // out of range or digits not valid for the radix: not an integer
        }
        return Optional.empty();
    }
}
