package dev.ebpfexporter.pin;

import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.bpf.PinnedMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The pins of one config, {@code <root>/<config>/<map>}. Before its object loads, {@link #prepare} makes each
 * map to pin use the map pinned under its name when the two definitions match (so its programs go on
 * counting into the values a previous run or version left), and notes a pin whose definition differs, to
 * be replaced. After everything of the config is set up, {@link Prepared#commit} pins the maps that were
 * made new (over a replaced pin in one rename, so the directory never lacks it) and removes the pins of
 * maps this version no longer pins. Until then nothing in the directory changes, so a version that fails
 * to load leaves the pins of the one still running as they were.
 */
public final class ConfigPins {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigPins.class);
    /** Suffix of a pin being made; {@code ~} cannot be part of a BPF map name. */
    private static final String PENDING = "~new";

    private final String config;
    private final Path dir;

    ConfigPins(String config, Path dir) {
        this.config = config;
        this.dir = dir;
    }

    public Path directory() {
        return dir;
    }

    /** Of one load of a config: which maps reuse pins and which are to be pinned when the load is complete. */
    public final class Prepared {
        private final List<BpfMap> reused;
        private final List<BpfMap> toPin;

        private Prepared(List<BpfMap> reused, List<BpfMap> toPin) {
            this.reused = List.copyOf(reused);
            this.toPin = List.copyOf(toPin);
        }

        /** For the config's load line: {@code pinned maps in DIR: 2 continued, 0 new}. */
        public String describe() {
            return "pinned maps in " + dir + ": " + reused.size() + " continued, " + toPin.size() + " new";
        }

        /** Maps whose values continue from the pins. */
        public List<String> reused() {
            return reused.stream().map(BpfMap::name).toList();
        }

        /** After the object is loaded and the config is complete: pins the new maps, drops pins no longer used. */
        public void commit() throws PinException {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new PinException("config " + config + ": cannot create " + dir + ": " + e.getMessage(), e);
            }
            for (BpfMap map : toPin) {
                Path pin = dir.resolve(map.name());
                Path pending = dir.resolve(map.name() + PENDING);
                try {
                    Files.deleteIfExists(pending); // left by a run that stopped between pin and rename
                    map.pin(pending);
                    Files.move(pending, pin, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (BpfException | IOException e) {
                    throw new PinException("config " + config + ": cannot pin map " + map.name() + " at " + pin + ": "
                            + e.getMessage(), e);
                }
            }
            Set<String> kept = Stream.concat(reused.stream(), toPin.stream()).map(BpfMap::name)
                    .collect(java.util.stream.Collectors.toSet());
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path entry : entries.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                    if (!kept.contains(entry.getFileName().toString())) {
                        Files.delete(entry);
                        LOG.info("config {}: map {} is no longer pinned by this version: removed {}", config,
                                entry.getFileName(), entry);
                    }
                }
            } catch (IOException e) {
                throw new PinException("config " + config + ": cannot clean " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Before load: each of {@code maps} reuses its pin when the definitions match; a pin whose definition differs
     * (or that is not a map) is logged, in one line, and replaced at commit.
     */
    public Prepared prepare(List<BpfMap> maps) throws PinException {
        List<BpfMap> reused = new ArrayList<>();
        List<BpfMap> toPin = new ArrayList<>();
        for (BpfMap map : maps) {
            if (map.pinnedByObject()) {
                LOG.debug("config {}: map {} declares its own pinning; left to libbpf", config, map.name());
                continue;
            }
            Path pin = dir.resolve(map.name());
            if (!Files.exists(pin, LinkOption.NOFOLLOW_LINKS)) {
                toPin.add(map);
                continue;
            }
            try (PinnedMap pinned = PinnedMap.open(pin)) {
                if (pinned.definition().equals(map.definition())) {
                    map.reuse(pinned);
                    reused.add(map);
                    LOG.debug("config {}: map {} continues from {} (map id {})", config, map.name(), pin, pinned.id());
                } else {
                    LOG.warn("config {}: map {}: the pinned map is {}, the object defines {}: replaced, its values start"
                                    + " from zero", config, map.name(), pinned.definition().describe(),
                            map.definition().describe());
                    toPin.add(map);
                }
            } catch (BpfException e) {
                LOG.warn("config {}: map {}: {}: replaced, its values start from zero", config, map.name(), e.getMessage());
                LOG.debug("config {}: map {}: pinned map not reused", config, map.name(), e);
                toPin.add(map);
            }
        }
        return new Prepared(reused, toPin);
    }
}
