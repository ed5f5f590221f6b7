package dev.ebpfexporter.config;

import java.nio.file.Path;
import java.util.Optional;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/** Composes a YAML text into a node tree (every node keeps its line) whose top level must be a map. */
final class YamlDocument {
    private YamlDocument() {
    }

    static YamlMap parse(Path file, String text) throws ConfigException {
        Optional<Node> root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(file.toString()).build()).composeString(text);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(Mark::getLine).orElse(0) + 1;
            String context = e.getContext() == null ? "" : e.getContext() + ": ";
            throw new ConfigException(new Source(file, line), "invalid YAML: " + oneLine(context + e.getProblem()));
        } catch (YamlEngineException e) {
            throw new ConfigException(new Source(file, 1), "invalid YAML: " + oneLine(e.getMessage()));
        }
        if (root.isEmpty()) {
            throw new ConfigException(new Source(file, 1), "the file is empty");
        }
        YamlNode top = new YamlNode(root.get(), file, "");
        if (top.isNull()) {
            throw new ConfigException(new Source(file, 1), "the file is empty");
        }
        if (!top.isMap()) {
            throw top.error("expected a map at the top level, got " + top.describe());
        }
        return top.asMap();
    }

    private static String oneLine(String text) {
        return String.valueOf(text).strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
