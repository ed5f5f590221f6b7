package dev.ebpfexporter.cli;

import dev.ebpfexporter.btf.BtfChoice;
import dev.ebpfexporter.btf.BtfException;
import dev.ebpfexporter.btf.KernelBtf;
import dev.ebpfexporter.collector.ConfigFiles;
import dev.ebpfexporter.collector.Exporter;
import dev.ebpfexporter.collector.ReloadStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.nio.file.Path;
import java.util.List;

/**
 * Reloads the configs: on {@code SIGHUP}, and on {@code POST /-/reload} with {@code --web.enable-lifecycle}.
 * Reads the same {@code --config.names} from {@code --config.dir} again (an inline file may now have other
 * programs) and hands them to {@link Exporter#reload}. One reload at a time; one asked for during another
 * runs after it.
 */
final class ConfigReload {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReload.class);

    private final ConfigFiles files;
    private final Path dir;
    private final List<String> names;
    private final Exporter exporter;
    private final BtfChoice btf;

    /** @param btf picked again for each reload ({@code --btf.path} may name a directory whose files change) */
    ConfigReload(ConfigFiles files, Path dir, List<String> names, Exporter exporter, BtfChoice btf) {
        this.btf = btf;
        this.files = files;
        this.dir = dir;
        this.names = List.copyOf(names);
        this.exporter = exporter;
    }

    /** Reloads; returns one line per config that failed (already logged), empty when all went well. */
    synchronized List<String> reload(String trigger) {
        LOG.info("reloading configs ({})", trigger);
        try (KernelBtf chosen = btf.choose()) {
            ReloadStatus status = exporter.reload(files.readAll(dir, names));
            return status.errors();
        } catch (BtfException e) {
            String line = "--btf.path: " + e.getMessage() + "; the configs loaded before stay";
            LOG.error("reload failed: {}", line);
            LOG.debug("reload: --btf.path", e);
            return List.of(line);
        }
    }

    /**
     * Reloads on every {@code SIGHUP} from now on (instead of the JVM's default, which is to exit). The JVM
     * runs each signal's handler on a thread of its own, so a reload never holds up another signal.
     */
    void onSighup() {
        Signal.handle(new Signal("HUP"), signal -> {
            try {
                reload("SIGHUP");
            } catch (RuntimeException | Error e) {
                LOG.error("reload on SIGHUP failed: {}", e.toString(), e);
            }
        });
    }
}
