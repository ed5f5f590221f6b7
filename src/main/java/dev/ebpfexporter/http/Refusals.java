package dev.ebpfexporter.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Connections and requests the server refuses before a handler sees them (a failed TLS handshake, plain
 * HTTP on the TLS port, a request Jetty cannot parse): each distinct reason is logged once, at warn, with
 * the peer that first met it, so a misconfigured scraper shows up in the log without a client flooding it.
 * At most {@link #MAX_REASONS} reasons are remembered; past that one line says further ones are not logged.
 */
final class Refusals {
    static final int MAX_REASONS = 64;
    private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);

    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean full = new AtomicBoolean();

    /**
     * Logs {@code what} (e.g. {@code TLS handshake}) refused for {@code reason}, the first time this
     * reason is seen.
     *
     * @param peer the client's address, or null when unknown
     */
    void refused(String what, String peer, String reason) {
        String key = what + ": " + reason;
        if (logged.contains(key)) {
            return;
        }
        if (logged.size() >= MAX_REASONS) {
            if (full.compareAndSet(false, true)) {
                LOG.warn("{} distinct refusal reasons logged; further ones are not", MAX_REASONS);
            }
            return;
        }
        if (logged.add(key)) {
            LOG.warn("{} from {} refused: {} (logged once per reason)", what, peer == null ? "an unknown peer" : peer,
                    reason);
        }
    }
}
