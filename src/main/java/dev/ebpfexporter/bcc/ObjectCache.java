package dev.ebpfexporter.bcc;

import dev.ebpfexporter.trust.TrustedPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Where compiled objects are kept: {@code /var/cache/ebpf-exporter/bcc} unless overridden, or
 * {@code ${java.io.tmpdir}/ebpf-exporter-bcc-<uid>} when that cannot be created. Root loads what is
 * here into the kernel, so the directory is created with mode 0700 and checked on every use: it
 * and every directory above it must belong to root (or our user) and be writable by nobody else;
 * a directory that already exists, in the temp directory above all, gets no benefit of the doubt.
 */
public final class ObjectCache {
    private static final Logger log = LoggerFactory.getLogger(ObjectCache.class);
    public static final Path DEFAULT_DIR = Path.of("/var/cache/ebpf-exporter/bcc");
    static final String WHAT = "compile cache directory";

    private final Path dir;

    private ObjectCache(Path dir) {
        this.dir = dir;
    }

    public static ObjectCache at(Path preferred) {
        return at(preferred, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** {@code tmp} is where the fallback directory goes. */
    static ObjectCache at(Path preferred, Path tmp) {
        if (creatable(preferred)) {
            return new ObjectCache(preferred);
        }
        Path fallback = tmp.resolve("ebpf-exporter-bcc-" + TrustedPaths.effectiveUid());
        log.warn("cache directory {} cannot be created, using {}", preferred, fallback);
        return new ObjectCache(fallback);
    }

    public static ObjectCache defaultCache() {
        return at(DEFAULT_DIR);
    }

    /** Whether the preferred directory exists or can be made; whether it is trusted is checked on use. */
    private static boolean creatable(Path dir) {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try {
            TrustedPaths.privateDirectory(dir, WHAT);
            return true;
        } catch (IOException | SecurityException e) {
            return Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** The directory, created 0700 if missing and checked (owner, mode, no links) on every call. */
    public Path dir() throws IOException {
        return TrustedPaths.privateDirectory(dir, WHAT);
    }

    public Path object(String key) throws IOException {
        return dir().resolve(key + ".bpf.o");
    }

    /** Where the SHA-256 of {@code key}'s object is recorded, checked before a cached object is used. */
    public Path objectHash(String key) throws IOException {
        return dir().resolve(key + ".bpf.o.sha256");
    }

    public Path source(String key) throws IOException {
        return dir().resolve(key + ".bpf.c");
    }
}
