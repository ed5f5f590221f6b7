package dev.ebpfexporter.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * A YAML map with string keys, read field by field. Duplicate keys are errors; a key the format does not know
 * is what the document's {@link UnknownKeys} says: an error, or a warning and ignored.
 */
public final class YamlMap {
    private final YamlNode self;
    private final Map<String, YamlNode> entries = new LinkedHashMap<>();
    private final Map<String, YamlNode> keyNodes = new LinkedHashMap<>();

    YamlMap(MappingNode mapping, YamlNode self) throws ConfigException {
        this.self = self;
        for (NodeTuple tuple : mapping.getValue()) {
            YamlNode keyNode = self.at(tuple.getKeyNode(), self.path());
            if (!(tuple.getKeyNode() instanceof ScalarNode key) || keyNode.isNull()) {
                throw keyNode.error("expected a plain string key, got " + keyNode.describe());
            }
            String name = key.getValue();
            String shown = YamlNode.excerpt(name);
            String childPath = self.path().isEmpty() ? shown : self.path() + "." + shown;
            YamlNode keyAtPath = self.at(tuple.getKeyNode(), childPath);
            if (entries.containsKey(name)) {
                throw keyAtPath.error("duplicate key " + YamlNode.quote(shown) + " (first on line "
                        + keyNodes.get(name).source().line() + ")");
            }
            keyNodes.put(name, keyAtPath);
            entries.put(name, self.at(tuple.getValueNode(), childPath));
        }
    }

    /** The map node itself (for its line and path). */
    public YamlNode node() {
        return self;
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /**
     * Hands each key not in {@code allowed} to the document's {@link UnknownKeys}, which refuses it or warns
     * (suggesting the closest allowed key either way); the readers never look at such a key.
     */
    public YamlMap allowOnly(Set<String> allowed) throws ConfigException {
        return allowOnly(allowed, self.unknownKeys());
    }

    /** Like {@link #allowOnly(Set)} with {@code unknownKeys} instead of the document's. */
    public YamlMap allowOnly(Set<String> allowed, UnknownKeys unknownKeys) throws ConfigException {
        for (var entry : keyNodes.entrySet()) {
            if (!allowed.contains(entry.getKey())) {
                unknownKeys.found(entry.getValue(), entry.getKey(), allowed);
            }
        }
        return this;
    }

    /** Where {@code key} itself is written (the key, not its value). */
    public Optional<Source> keySource(String key) {
        return Optional.ofNullable(keyNodes.get(key)).map(YamlNode::source);
    }

    /** The value of {@code key}, empty when absent or null (Go leaves such a field at its zero value). */
    public Optional<YamlNode> get(String key) {
        YamlNode value = entries.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    /** The value of {@code key}, which must be present and not null. */
    public YamlNode require(String key) throws ConfigException {
        YamlNode value = entries.get(key);
        if (value == null) {
            throw missing(key);
        }
        if (value.isNull()) {
            throw value.error("must not be empty");
        }
        return value;
    }

    /** A required non-empty string. */
    public String requireString(String key) throws ConfigException {
        return require(key).asNonEmptyString();
    }

    /** An optional string; absent or null gives {@code fallback}. */
    public String string(String key, String fallback) throws ConfigException {
        Optional<YamlNode> value = get(key);
        return value.isPresent() ? value.get().asString() : fallback;
    }

    /** {@code path.key: required key is missing}, on the line of this map. */
    public ConfigException missing(String key) {
        return missing(key, "required key is missing");
    }

    /** An error about the absent {@code key}, on the line of this map. */
    public ConfigException missing(String key, String why) {
        String childPath = self.path().isEmpty() ? key : self.path() + "." + key;
        return self.at(self.node(), childPath).error(why);
    }
}
