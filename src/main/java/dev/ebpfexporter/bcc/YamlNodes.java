package dev.ebpfexporter.bcc;

import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.Source;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Typed reads from a YAML node tree, failing with the file and line of the offending node. */
final class YamlNodes {
    private final Path file;

    YamlNodes(Path file) {
        this.file = file;
    }

    /** A {@code key: value} entry with the line of its key. */
    record Entry(String key, Node value, int line) {
    }

    int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    Source source(Node node) {
        return new Source(file, line(node));
    }

    ConfigException error(Node node, String message) {
        return new ConfigException(source(node), message);
    }

    /** The entries of a mapping, in order; a key outside {@code allowed} is an error. */
    Map<String, Entry> mapping(Node node, String what, Set<String> allowed) throws ConfigException {
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, what + " must be a mapping");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalar(tuple.getKeyNode(), what + " key");
            if (allowed != null && !allowed.contains(key)) {
                throw error(tuple.getKeyNode(), "unknown key \"" + key + "\" in " + what);
            }
            if (entries.put(key, new Entry(key, tuple.getValueNode(), line(tuple.getKeyNode()))) != null) {
                throw error(tuple.getKeyNode(), "duplicate key \"" + key + "\" in " + what);
            }
        }
        return entries;
    }

    List<Node> sequence(Node node, String what) throws ConfigException {
        if (isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            throw error(node, what + " must be a list");
        }
        return sequence.getValue();
    }

    String scalar(Node node, String what) throws ConfigException {
        if (!(node instanceof ScalarNode scalar)) {
            throw error(node, what + " must be a scalar");
        }
        return scalar.getValue();
    }

    String requiredString(Map<String, Entry> m, String key, Node parent, String what) throws ConfigException {
        Entry e = m.get(key);
        if (e == null || isNull(e.value()) || scalar(e.value(), what + "." + key).isBlank()) {
            throw error(e == null ? parent : e.value(), what + ": " + key + " is required");
        }
        return scalar(e.value(), what + "." + key);
    }

    String optionalString(Map<String, Entry> m, String key, String fallback, String what) throws ConfigException {
        Entry e = m.get(key);
        return e == null || isNull(e.value()) ? fallback : scalar(e.value(), what + "." + key);
    }

    long integer(Map<String, Entry> m, String key, long fallback, String what) throws ConfigException {
        Entry e = m.get(key);
        if (e == null || isNull(e.value())) {
            return fallback;
        }
        return integer(e.value(), what + "." + key);
    }

    long integer(Node node, String what) throws ConfigException {
        String text = scalar(node, what).strip().replace("_", "");
        try {
            boolean negative = text.startsWith("-");
            String digits = negative || text.startsWith("+") ? text.substring(1) : text;
            long value;
            if (digits.startsWith("0x") || digits.startsWith("0X")) {
                value = Long.parseUnsignedLong(digits.substring(2), 16);
            } else if (digits.startsWith("0o")) {
                value = Long.parseLong(digits.substring(2), 8);
            } else {
                value = Long.parseLong(digits);
            }
            return negative ? -value : value;
        } catch (NumberFormatException e) {
            throw error(node, what + " must be an integer, not \"" + text + "\"");
        }
    }

    double number(Map<String, Entry> m, String key, double fallback, String what) throws ConfigException {
        Entry e = m.get(key);
        if (e == null || isNull(e.value())) {
            return fallback;
        }
        return number(e.value(), what + "." + key);
    }

    double number(Node node, String what) throws ConfigException {
        String text = scalar(node, what).strip();
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw error(node, what + " must be a number, not \"" + text + "\"");
        }
    }

    boolean bool(Map<String, Entry> m, String key, String what) throws ConfigException {
        Entry e = m.get(key);
        if (e == null || isNull(e.value())) {
            return false;
        }
        String text = scalar(e.value(), what + "." + key).strip().toLowerCase(java.util.Locale.ROOT);
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw error(e.value(), what + "." + key + " must be true or false");
        };
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getScalarStyle() == ScalarStyle.PLAIN
                && (s.getValue().isEmpty() || s.getValue().equals("~") || s.getValue().equals("null"));
    }

    /** The YAML line of the first line of a scalar's text: block scalars start on the line after {@code |}. */
    int contentLine(Node node) {
        int line = line(node);
        if (node instanceof ScalarNode s
                && (s.getScalarStyle() == ScalarStyle.LITERAL || s.getScalarStyle() == ScalarStyle.FOLDED)) {
            return line + 1;
        }
        return line;
    }
}
