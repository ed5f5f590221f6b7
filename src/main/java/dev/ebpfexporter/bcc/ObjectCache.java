package dev.ebpfexporter.bcc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where compiled objects are kept: {@code /var/cache/ebpf-exporter/bcc} unless overridden, or
 * {@code ${java.io.tmpdir}/ebpf-exporter-bcc} when that cannot be written.
 */
public final class ObjectCache {
    private static final Logger log = LoggerFactory.getLogger(ObjectCache.class);
    public static final Path DEFAULT_DIR = Path.of("/var/cache/ebpf-exporter/bcc");

    private final Path dir;

    private ObjectCache(Path dir) {
        this.dir = dir;
    }

    public static ObjectCache at(Path preferred) {
        if (usable(preferred)) {
            return new ObjectCache(preferred);
        }
        Path fallback = Path.of(System.getProperty("java.io.tmpdir"), "ebpf-exporter-bcc");
        log.warn("cache directory {} is not writable, using {}", preferred, fallback);
        return new ObjectCache(fallback);
    }

    public static ObjectCache defaultCache() {
        return at(DEFAULT_DIR);
    }

    private static boolean usable(Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.isWritable(dir);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    public Path dir() throws IOException {
        Files.createDirectories(dir);
        return dir;
    }

    public Path object(String key) throws IOException {
        return dir().resolve(key + ".bpf.o");
    }

    public Path source(String key) throws IOException {
        return dir().resolve(key + ".bpf.c");
    }
}
