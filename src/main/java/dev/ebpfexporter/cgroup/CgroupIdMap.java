package dev.ebpfexporter.cgroup;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.ebpfexporter.bpf.sys.BpfException;
import dev.ebpfexporter.bpf.BpfMap;
import dev.ebpfexporter.bpf.sys.Libc;
import dev.ebpfexporter.bpf.MapType;
import dev.ebpfexporter.config.CgroupIdMapConfig;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.decoder.CgroupRoot;
import dev.ebpfexporter.decoder.CgroupTree;
import dev.ebpfexporter.decoder.Regexps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a {@code cgroup_id_map} filled: the ids of every cgroup (v2) whose path matches one of the
 * regexps. Paths are full cgroupfs paths, as the reference matches them (e.g.
 * {@code /sys/fs/cgroup/system.slice/ssh.service}, or {@code /sys/fs/cgroup/unified/...} on a
 * v1/v2 hybrid host: wherever {@link CgroupRoot} finds the v2 hierarchy). For {@code hash} maps the key is the cgroup id (u64) and entries of removed
 * cgroups are deleted; for {@code cgrp_storage} maps the key is an open cgroup fd and the kernel
 * drops the storage with its cgroup. The value is u64 1.
 *
 * <p>Changes are seen through inotify (directory creation and removal, one watch per cgroup
 * directory) and, in case a notification is missed or inotify is unavailable, a full rescan
 * every {@code rescanInterval}.
 */
public final class CgroupIdMap implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CgroupIdMap.class);
    private static final long DEFAULT_RESCAN_MILLIS = 10_000;
    private static final byte[] ONE = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1).array();

    private final CgroupIdMapConfig config;
    private final BpfMap map;
    private final Path root;
    private final List<Pattern> patterns;
    private final long rescanMillis;
    private final Map<Long, Path> present = new HashMap<>();
    private final Map<Path, WatchKey> watched = new HashMap<>();
    private WatchService watcher;
    private Thread thread;
    private volatile boolean running = true;

    private CgroupIdMap(CgroupIdMapConfig config, BpfMap map, Path root, List<Pattern> patterns, long rescanMillis) {
        this.config = config;
        this.map = map;
        this.root = root;
        this.patterns = patterns;
        this.rescanMillis = rescanMillis;
    }

    /**
     * Checks the config against the map (before load): the map exists with the key and value sizes
     * its type needs, and every regexp compiles.
     */
    public static void check(CgroupIdMapConfig config, java.util.Optional<BpfMap> map, String objectName)
            throws ConfigException {
        bindChecked(config, map, objectName);
    }

    private static List<Pattern> bindChecked(CgroupIdMapConfig config, java.util.Optional<BpfMap> found,
                                             String objectName) throws ConfigException {
        BpfMap map = found.orElseThrow(() -> new ConfigException(config.source(), "cgroup_id_map: map \""
                + config.name() + "\" not found in " + objectName));
        int keySize = config.type().equals("cgrp_storage") ? 4 : 8;
        int type = config.type().equals("cgrp_storage") ? MapType.CGRP_STORAGE : -1;
        if (type > 0 && map.type() != type) {
            throw new ConfigException(config.source(), "cgroup_id_map: map " + map.name() + " is a "
                    + MapType.name(map.type()) + " map, type cgrp_storage needs a cgrp_storage map");
        }
        if (map.keySize() != keySize) {
            throw new ConfigException(config.source(), "cgroup_id_map: map " + map.name() + " has " + map.keySize()
                    + "-byte keys, type " + config.type() + " needs " + keySize + "-byte keys");
        }
        if (map.valueSize() != 8) {
            throw new ConfigException(config.source(), "cgroup_id_map: map " + map.name() + " has "
                    + map.valueSize() + "-byte values, expected 8 (u64)");
        }
        List<Pattern> patterns = new ArrayList<>();
        for (String regexp : config.regexps()) {
            try {
                patterns.add(Regexps.compile(regexp));
            } catch (PatternSyntaxException e) {
                throw new ConfigException(config.source(), "cgroup_id_map: invalid regexp \"" + Regexps.shown(regexp) + "\": "
                        + e.getDescription(), e);
            }
        }
        return patterns;
    }

    /** Fills the (loaded) map now, then keeps it current on a background thread until closed. */
    public static CgroupIdMap start(CgroupIdMapConfig config, BpfMap map, String objectName)
            throws ConfigException, BpfException {
        return start(config, map, objectName, CgroupRoot.detect(), DEFAULT_RESCAN_MILLIS);
    }

    public static CgroupIdMap start(CgroupIdMapConfig config, BpfMap map, String objectName, Path root,
                                    long rescanMillis) throws ConfigException, BpfException {
        List<Pattern> patterns = bindChecked(config, java.util.Optional.of(map), objectName);
        CgroupIdMap sync = new CgroupIdMap(config, map, root, patterns, rescanMillis);
        try {
            sync.watcher = FileSystems.getDefault().newWatchService();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.info("cgroup_id_map {}: no inotify ({}), rescanning every {} ms", config.name(), e.getMessage(),
                    rescanMillis);
            LOG.debug("cgroup_id_map {}: no inotify", config.name(), e);
        }
        try {
            sync.rescan();
            sync.thread = Thread.ofPlatform().daemon().name("cgroup-id-map-" + config.name()).start(sync::run);
        } catch (Throwable t) {
            sync.close(); // the watcher (an inotify descriptor) is ours until start returns
            throw t;
        }
        LOG.info("cgroup_id_map {}: {} cgroups under {} match, map {} ({})", config.name(), sync.size(), root,
                map.name(), config.type());
        return sync;
    }

    /** Cgroups currently in the map. */
    public synchronized int size() {
        return present.size();
    }

    private void run() {
        while (running) {
            try {
                if (watcher != null) {
                    WatchKey key = watcher.poll(rescanMillis, TimeUnit.MILLISECONDS);
                    if (key != null) {
                        // Let a burst of mkdir/rmdir settle, then take every pending key with it.
                        Thread.sleep(20);
                        do {
                            key.pollEvents();
                            key.reset();
                            key = watcher.poll();
                        } while (key != null);
                    }
                } else {
                    Thread.sleep(rescanMillis);
                }
                if (running) {
                    rescan();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return; // close() interrupts the thread and closes the watcher: this is how it stops
            } catch (RuntimeException e) {
                LOG.warn("cgroup_id_map {}: rescan failed: {}", config.name(), e.toString(), e);
            }
        }
    }

    /** Walks the cgroup tree, then adds new matching cgroups to the map and deletes vanished ones. */
    synchronized void rescan() {
        Map<Long, Path> found = new HashMap<>();
        Set<Path> dirs = new HashSet<>();
        walk(root, found, dirs);
        for (var entry : found.entrySet()) {
            if (!present.containsKey(entry.getKey()) && matches(entry.getValue())) {
                if (add(entry.getKey(), entry.getValue())) {
                    present.put(entry.getKey(), entry.getValue());
                }
            }
        }
        for (var it = present.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (!found.containsKey(entry.getKey())) {
                remove(entry.getKey());
                it.remove();
            }
        }
        if (watcher != null) {
            for (Path dir : dirs) {
                if (!watched.containsKey(dir)) {
                    try {
                        watched.put(dir, dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                                StandardWatchEventKinds.ENTRY_DELETE));
                    } catch (IOException e) {
                        // gone already: the next rescan forgets it
                    }
                }
            }
            watched.entrySet().removeIf(entry -> {
                if (!dirs.contains(entry.getKey())) {
                    entry.getValue().cancel();
                    return true;
                }
                return false;
            });
        }
    }

    private boolean matches(Path path) {
        String text = path.toString();
        for (Pattern pattern : patterns) {
            if (pattern.matcher(text).find()) {
                return true;
            }
        }
        return false;
    }

    private boolean add(long id, Path path) {
        try {
            if (config.type().equals("cgrp_storage")) {
                int fd = Libc.openDirectory(path);
                try {
                    map.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(fd).array(), ONE, 0);
                } finally {
                    Libc.closeQuietly(path.toString(), fd);
                }
            } else {
                map.update(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(id).array(), ONE, 0);
            }
            LOG.debug("cgroup_id_map {}: added {} ({})", config.name(), path, id);
            return true;
        } catch (BpfException | Libc.NativeException e) {
            LOG.warn("cgroup_id_map {}: cannot add {} ({}): {}", config.name(), path, id, e.getMessage());
            LOG.debug("cgroup_id_map {}: add {}", config.name(), path, e);
            return false;
        }
    }

    private void remove(long id) {
        if (config.type().equals("cgrp_storage")) {
            return; // the kernel frees a cgroup's storage with the cgroup
        }
        try {
            map.delete(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(id).array());
            LOG.debug("cgroup_id_map {}: removed {}", config.name(), id);
        } catch (BpfException e) {
            LOG.warn("cgroup_id_map {}: cannot remove {}: {}", config.name(), id, e.getMessage());
            LOG.debug("cgroup_id_map {}: remove {}", config.name(), id, e);
        }
    }

    private static void walk(Path root, Map<Long, Path> found, Set<Path> dirs) {
        for (CgroupTree.Cgroup cgroup : CgroupTree.walk(root)) {
            found.put(cgroup.id(), cgroup.path());
            dirs.add(cgroup.path());
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
