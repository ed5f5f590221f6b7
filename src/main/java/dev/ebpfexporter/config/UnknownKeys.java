package dev.ebpfexporter.config;

import java.util.Set;
import java.util.function.Consumer;

/**
 * What a reader does with a map key its format does not know. The reference exporter decodes its configs
 * without refusing such keys, so a config it runs (say with an {@code owner:} key some tooling adds) must run
 * here too: {@link #warn} says so in one line per key and goes on; {@link #REFUSE} makes the first one an
 * error ({@code --config.strict}, and the web config, whose reference refuses unknown keys too). Either way
 * the line names the file, the line and the key, with the closest known key.
 */
public sealed interface UnknownKeys {
    /** The first unknown key is an error. */
    UnknownKeys REFUSE = new Refuse();

    /** Each unknown key is one line {@code file:line: path: unknown key "k" ignored (did you mean ...)} to {@code sink}. */
    static UnknownKeys warn(Consumer<String> sink) {
        return new Warn(sink);
    }

    /** Called with the key's node (its line and path), its name and the keys the map allows. */
    void found(YamlNode key, String name, Set<String> allowed) throws ConfigException;

    private static String describe(String name) {
        return "unknown key " + YamlNode.quote(YamlNode.excerpt(name));
    }

    /** Refuses the key. */
    record Refuse() implements UnknownKeys {
        @Override
        public void found(YamlNode key, String name, Set<String> allowed) throws ConfigException {
            throw key.error(describe(name) + DidYouMean.suggest(name, allowed));
        }
    }

    /** Reports the key to a sink and lets the reader go on without it. */
    record Warn(Consumer<String> sink) implements UnknownKeys {
        @Override
        public void found(YamlNode key, String name, Set<String> allowed) {
            sink.accept(key.located(describe(name) + " ignored" + DidYouMean.suggest(name, allowed)));
        }
    }
}
