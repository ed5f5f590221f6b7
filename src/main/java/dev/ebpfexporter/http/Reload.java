package dev.ebpfexporter.http;

import java.util.List;

/**
 * {@code POST /-/reload} (and {@code PUT}), served when {@code --web.enable-lifecycle} is given, as Prometheus
 * serves it: 200 when the configs reloaded, 500 with the reasons when some did not.
 */
@FunctionalInterface
public interface Reload {
    /** Reloads the configs; one line per config that failed, empty when all went well. */
    List<String> reload();
}
