package dev.ebpfexporter.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * The one YAML reader of the exporter (v2 configs, inline configs, the web config): reads a file within
 * limits and composes it into a node tree in which every node keeps its line.
 *
 * <p>Limits keep a file named by mistake from exhausting memory or the stack: only regular files (a FIFO
 * would block, {@code /dev/zero} never ends) of at most {@link #MAX_BYTES}, checked before reading; and
 * collections nested at most {@link #MAX_DEPTH} deep, counted as the parser's events arrive, before the
 * (recursive) composer descends.
 */
public final class YamlDocument {
    /** The largest file read: the bundled configs are under 3 KB, inline ones with C code a few tens of KB. */
    public static final int MAX_BYTES = 1 << 20;
    /** The deepest nesting of maps and lists: real configs nest 6 levels at most. */
    public static final int MAX_DEPTH = 100;

    private YamlDocument() {
    }

    /**
     * Reads {@code file} within the limits and composes it; empty when the document is empty or null. Unknown
     * keys are errors, here and in every method without an {@link UnknownKeys} argument.
     */
    public static Optional<YamlNode> read(Path file) throws ConfigException {
        return compose(file, readText(file));
    }

    /** Like {@link #read(Path)} for a document whose top level must be a map. */
    public static YamlMap readMap(Path file) throws ConfigException {
        return readMap(file, UnknownKeys.REFUSE);
    }

    /** Like {@link #readMap(Path)}; its maps treat keys they do not know as {@code unknownKeys} says. */
    public static YamlMap readMap(Path file, UnknownKeys unknownKeys) throws ConfigException {
        return parse(file, readText(file), unknownKeys);
    }

    /** Composes {@code text} (the contents of {@code file}) whose top level must be a non-empty map. */
    public static YamlMap parse(Path file, String text) throws ConfigException {
        return parse(file, text, UnknownKeys.REFUSE);
    }

    /** Like {@link #parse(Path, String)}; its maps treat keys they do not know as {@code unknownKeys} says. */
    public static YamlMap parse(Path file, String text, UnknownKeys unknownKeys) throws ConfigException {
        YamlNode top = compose(file, text, unknownKeys)
                .orElseThrow(() -> new ConfigException(new Source(file, 1), "the file is empty"));
        if (!top.isMap()) {
            throw top.error("expected a map at the top level, got " + top.describe());
        }
        return top.asMap();
    }

    /** Composes {@code text} (the contents of {@code file}); empty when the document is empty or null. */
    public static Optional<YamlNode> compose(Path file, String text) throws ConfigException {
        return compose(file, text, UnknownKeys.REFUSE);
    }

    private static Optional<YamlNode> compose(Path file, String text, UnknownKeys unknownKeys) throws ConfigException {
        if (text.length() > MAX_BYTES) {
            throw tooLarge(file, text.length());
        }
        LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).build();
        Optional<Node> root;
        try {
            Parser parser = new DepthLimit(new ParserImpl(settings, new StreamReader(settings, text)));
            root = new Composer(settings, parser).getSingleNode();
        } catch (DepthLimit.TooDeep e) {
            throw new ConfigException(new Source(file, e.line), "nested deeper than " + MAX_DEPTH + " levels of maps and lists", e);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(Mark::getLine).orElse(0) + 1;
            String context = e.getContext() == null ? "" : e.getContext() + ": ";
            throw new ConfigException(new Source(file, line), "invalid YAML: " + oneLine(context + e.getProblem()), e);
        } catch (YamlEngineException e) {
            throw new ConfigException(new Source(file, 1), "invalid YAML: " + oneLine(e.getMessage()), e);
        }
        if (root.isEmpty()) {
            return Optional.empty();
        }
        YamlNode top = new YamlNode(root.get(), file, "", unknownKeys);
        return top.isNull() ? Optional.empty() : Optional.of(top);
    }

    /** The text of a regular UTF-8 file of at most {@link #MAX_BYTES}, refused before it is read otherwise. */
    public static String readText(Path file) throws ConfigException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                throw new ConfigException(file + ": not a regular file (a config is a YAML file, not a "
                        + (attributes.isDirectory() ? "directory" : "device, FIFO or socket") + ")");
            }
            if (attributes.size() > MAX_BYTES) {
                throw tooLarge(file, attributes.size());
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_BYTES + 1); // the file may have grown since its size was read
            }
            if (bytes.length > MAX_BYTES) {
                throw tooLarge(file, bytes.length);
            }
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": config file does not exist", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException(new Source(file, 1), "not a text file (invalid UTF-8)", e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read config: "
                    + (e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.toString()));
        }
    }

    private static ConfigException tooLarge(Path file, long size) {
        return new ConfigException(file + ": too large for a config (" + size + " bytes, at most " + MAX_BYTES + ")");
    }

    /**
     * The parser's events as the composer reads them, refused past {@link #MAX_DEPTH} open collections:
     * the parser keeps its own stack, but the composer recurses once per level.
     */
    private static final class DepthLimit implements Parser {
        private final Parser parser;
        private int depth;

        DepthLimit(Parser parser) {
            this.parser = parser;
        }

        @Override
        public boolean checkEvent(Event.ID id) {
            return parser.checkEvent(id);
        }

        @Override
        public Event peekEvent() {
            return parser.peekEvent();
        }

        @Override
        public boolean hasNext() {
            return parser.hasNext();
        }

        @Override
        public Event next() {
            Event event = parser.next();
            switch (event.getEventId()) {
                case MappingStart, SequenceStart -> {
                    if (++depth > MAX_DEPTH) {
                        throw new TooDeep(event.getStartMark().map(Mark::getLine).orElse(0) + 1);
                    }
                }
                case MappingEnd, SequenceEnd -> depth--;
                default -> {
                }
            }
            return event;
        }

        /** Unchecked, to leave the composer's recursion; turned into a {@link ConfigException} above. */
        static final class TooDeep extends RuntimeException {
            private static final long serialVersionUID = 1L;
            final int line;

            TooDeep(int line) {
                super(null, null, false, false);
                this.line = line;
            }
        }
    }

    private static String oneLine(String text) {
        return String.valueOf(text).strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
