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

    /** A temporary file this old is left over from a killed run: no compile or bpftool dump takes so long. */
    static final java.time.Duration STALE_AFTER = java.time.Duration.ofMinutes(10);

    private final Path dir;
    private final java.util.concurrent.atomic.AtomicBoolean swept = new java.util.concurrent.atomic.AtomicBoolean();

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
            // Cannot make it private (e.g. a read-only /var/cache): usable only if it is already there, checked later.
            return Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** The directory, created 0700 if missing and checked (owner, mode, no links) on every call. */
    public Path dir() throws IOException {
        Path checked = TrustedPaths.privateDirectory(dir, WHAT);
        if (swept.compareAndSet(false, true)) {
            removeStaleTemporaries(checked, STALE_AFTER);
        }
        return checked;
    }

    /**
     * Deletes the {@code *.tmp} files that a killed run left in the cache and in its {@code vmlinux-*}
     * directories (a compile's object, a 2.8 MB vmlinux.h being dumped); younger ones may belong to a
     * run in progress and stay. Returns how many were removed.
     */
    static int removeStaleTemporaries(Path cache, java.time.Duration staleAfter) {
        long cutoff = System.currentTimeMillis() - staleAfter.toMillis();
        int removed = 0;
        try (var files = Files.walk(cache, 2)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (file.getFileName().toString().endsWith(".tmp")
                        && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis() < cutoff) {
                    Files.deleteIfExists(file);
                    removed++;
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            log.warn("{}: cannot remove stale temporary files: {}", cache, e.getMessage());
            log.debug("{}: stale temporary files", cache, e);
        }
        if (removed > 0) {
            log.info("{}: removed {} temporary files left by an interrupted run", cache, removed);
        }
        return removed;
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
